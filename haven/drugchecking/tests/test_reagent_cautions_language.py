"""What reagents cannot tell, in the reader's language: the cautions are saved in English with each
test and shown translated, including interpretations saved before this existed."""

from haven.commandline import translator
from haven.drugchecking.reagents import interpret
from haven.drugchecking.reagents.engine import ALWAYS_CAUTIONS, localized_cautions


def test_every_caution_of_an_interpretation_is_shown_in_spanish():
    result = interpret({"marquis": "purple, black"})  # one reagent: several cautions, a group it cannot split

    spanish = localized_cautions(result.cautions, translator("es"))

    assert len(spanish) == len(result.cautions)
    assert all(shown != english for shown, english in zip(spanish, result.cautions, strict=True))
    assert "Un solo reactivo reduce muy poco las posibilidades" in " ".join(spanish)


def test_the_cannot_tell_apart_caution_keeps_its_names_and_translates_its_words():
    saved = "These reagents cannot tell apart: MDMA, MDA and 4 more. Mecke or Simon's would tell them apart."

    [shown] = localized_cautions([saved], translator("es"))

    assert shown == (
        "Estos reactivos no pueden distinguir entre: MDMA, MDA y 4 más. Mecke o Simon's permitiría "
        "distinguirlas."
    )


def test_english_stays_english_and_an_unknown_caution_is_kept_as_it_is():
    assert localized_cautions(list(ALWAYS_CAUTIONS), translator("en")) == list(ALWAYS_CAUTIONS)
    assert localized_cautions(["Something an older version said."], translator("es")) == [
        "Something an older version said."
    ]
