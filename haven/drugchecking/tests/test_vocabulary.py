"""The substance vocabulary: synonyms find one key, and every substance the reagent engine names is in it."""

from haven.drugchecking import vocabulary


def test_synonyms_and_spellings_find_the_same_substance():
    for text in ("Molly", "ECSTASY", "mdma", "3,4-methylenedioxymethamphetamine"):
        assert vocabulary.find(text).key == "mdma"
    assert vocabulary.find("p-fluorofentanyl").key == "fluorofentanyl"
    assert vocabulary.find("4_fa").key == "4-fa"


def test_an_unknown_name_is_not_guessed():
    assert vocabulary.find("moon rocks") is None


def test_every_substance_of_the_reagent_engine_is_in_the_vocabulary():
    from haven.drugchecking import reagents

    missing = [s.key for s in reagents.substances() if vocabulary.find(s.key) is None]
    assert missing == []


def test_every_strip_records_a_vocabulary_substance():
    from haven.drugchecking import strips

    for strip in strips.STRIPS.values():
        assert vocabulary.find(strip.substance).key == strip.substance
        assert strip.limits and strip.sources
