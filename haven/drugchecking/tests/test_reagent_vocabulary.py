"""Reagent names and colour words as people write them."""

import pytest

from haven.drugchecking.reagents import (
    UnknownColourError,
    UnknownReagentError,
    colour_choices,
    parse_observation,
    reagent_choices,
)
from haven.drugchecking.reagents.vocabulary import (
    NO_REACTION,
    colour_hex,
    normalise_colour,
    parse_sequence,
    reagent_key,
)

ALL_REAGENTS = [
    "marquis", "mecke", "mandelin", "simon", "froehde", "liebermann", "ehrlich", "hofmann", "folin",
    "robadope", "gallic_acid", "zimmermann", "morris", "scott", "4_ap",
]


def test_reagent_choices_list_the_15_reagents_with_labels():
    choices = reagent_choices()
    assert [key for key, _label in choices] == ALL_REAGENTS
    assert dict(choices)["simon"] == "Simon's"
    assert dict(choices)["gallic_acid"] == "Gallic acid"


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("Simon's", "simon"), ("simons", "simon"), ("SIMON", "simon"), ("Simon’s reagent", "simon"),
        ("gallic acid", "gallic_acid"), ("gallic_acid", "gallic_acid"), ("Gallic-Acid", "gallic_acid"),
        ("Fröhde", "froehde"), ("frohde", "froehde"), ("Hoffman", "hofmann"), ("Zimmerman", "zimmermann"),
        ("Marquis reagent", "marquis"), ("Scott's", "scott"), ("Liebermann", "liebermann"),
    ],
)
def test_common_spellings_of_a_reagent_are_recognised(spelling, key):
    assert parse_observation(spelling, "blue")[0] == key


def test_an_unknown_reagent_is_a_value_error_that_names_it():
    with pytest.raises(UnknownReagentError, match="'duquenois'") as caught:
        parse_observation("duquenois", "purple")
    assert isinstance(caught.value, ValueError)


def test_colour_choices_include_no_reaction_and_every_basic_word_with_a_hex_code():
    choices = colour_choices()
    words = [word for word, _label, _hex in choices]
    assert words[0] == "no reaction"
    for word in ["white", "yellow", "orange", "red", "pink", "purple", "violet", "blue", "green", "brown",
                 "grey", "black"]:
        assert word in words
    assert all(hex_code.startswith("#") and len(hex_code) == 7 for word, _l, hex_code in choices[1:])


@pytest.mark.parametrize(
    ("text", "sequence"),
    [
        ("purple,black", ("purple", "black")),
        ("purple, black", ("purple", "black")),
        ("Dark purple -> black", ("dark purple", "black")),
        ("purple → black", ("purple", "black")),
        ("orange to brown", ("orange", "brown")),
        ("orange-red-brown", ("orange", "red", "brown")),
        ("gray then black", ("grey", "black")),
        ("light blue", ("light blue",)),
        ("greenish blue", ("greenish blue",)),
        ("blue-green", ("blue-green",)),
        ("#5A2D82", ("#5a2d82",)),
        (["purple", "#000000"], ("purple", "#000000")),
        ("no reaction", (NO_REACTION,)),
        ("clear", (NO_REACTION,)),
        ("none", (NO_REACTION,)),
        ("clear, then yellow", ("yellow",)),
    ],
)
def test_observations_are_parsed_into_a_colour_sequence(text, sequence):
    assert parse_observation("marquis", text) == ("marquis", sequence)


@pytest.mark.parametrize("bad", ["plurple", "purple, blak", "#12345", "", [], ["purple", 3], 42, "sparkly"])
def test_an_unknown_colour_is_a_value_error_that_names_it(bad):
    with pytest.raises(UnknownColourError) as caught:
        parse_observation("marquis", bad)
    assert isinstance(caught.value, ValueError)


def test_the_error_for_a_misspelt_colour_names_the_word():
    with pytest.raises(UnknownColourError, match="blak"):
        parse_observation("marquis", "purple, blak")


def test_a_very_long_sequence_is_refused():
    with pytest.raises(UnknownColourError, match="at most 6"):
        parse_observation("marquis", "red, orange, yellow, green, blue, purple, black")


def test_light_and_dark_change_lightness_not_hue():
    assert colour_hex("light blue") != colour_hex("blue") != colour_hex("dark blue")
    assert normalise_colour("Pale Green") == "light green"
    assert normalise_colour("deep purple") == "dark purple"


def test_a_colour_error_names_the_reagent_it_was_given_for():
    with pytest.raises(UnknownColourError, match="^simon: unknown colour 'blau'") as caught:
        parse_observation("Simon's", "blau")
    assert caught.value.reagent == "simon"


def test_reagent_names_are_read_as_people_write_them():
    from haven.drugchecking.reagents.vocabulary import reagent_key

    for written, key in [("simons", "simon"), ("simon's", "simon"), ("Simon’s", "simon"), ("gallic acid", "gallic_acid"),
                         ("4-ap", "4_ap"), ("4-AP", "4_ap"), ("Cannabis (4-AP)", "4_ap"), ("Fröhde", "froehde")]:
        assert reagent_key(written) == key, written


def test_an_unknown_reagent_or_colour_word_suggests_the_closest():
    import pytest

    from haven.drugchecking.reagents.vocabulary import parse_sequence, reagent_key

    with pytest.raises(UnknownReagentError, match="Did you mean Marquis"):
        reagent_key("marquee")
    with pytest.raises(UnknownColourError, match="did you mean 'purple'"):
        parse_sequence("purpel")


def test_a_hex_code_that_is_not_a_colour_is_refused_with_a_clear_message():
    import pytest

    from haven.drugchecking.reagents.vocabulary import parse_sequence

    with pytest.raises(UnknownColourError, match="is not a colour code"):
        parse_sequence("#12345z")


def test_alternatives_and_uncertain_reactions_are_read():
    from haven.drugchecking.reagents.vocabulary import parse_sequence

    assert parse_sequence("purple or black") == ("purple or black",)
    assert parse_sequence("instant purple/brown > black") == ("purple or brown", "black")
    assert parse_sequence("no change or yellowish") == ("no reaction or yellow",)
    assert parse_sequence("no blue color change") == ("no reaction",)


# Spanish and French: reagent names and colour words as people there write them.


@pytest.mark.parametrize(("name", "key"), [
    ("reactivo de Marquis", "marquis"), ("prueba Mecke", "mecke"), ("réactif de Mandelin", "mandelin"),
    ("Simón", "simon"), ("ácido gálico", "gallic_acid"), ("acide gallique", "gallic_acid"),
    ("tiocianato de cobalto", "scott"), ("thiocyanate de cobalt", "scott"), ("test de Scott", "scott"),
])
def test_spanish_and_french_speakers_name_reagents_their_way(name, key):
    assert reagent_key(name) == key


@pytest.mark.parametrize(("text", "colours"), [
    ("morado, negro", ("purple", "black")),
    ("morado luego negro", ("purple", "black")),
    ("violet puis noir", ("violet", "black")),
    ("rojo oscuro", ("dark red",)),
    ("vert foncé", ("dark green",)),
    ("naranja o marrón", ("orange or brown",)),
    ("amarillo verdoso", ("greenish yellow",)),
    ("sin reacción", ("no reaction",)),
    ("pas de réaction", ("no reaction",)),
])
def test_spanish_and_french_colour_words_read_as_haven_colours(text, colours):
    assert parse_sequence(text) == colours


def test_a_spanish_observation_fits_the_same_substance_as_the_english_one():
    from haven.drugchecking.reagents import interpret

    spanish = interpret({"reactivo de Marquis": "morado, negro", "Mecke": "verde o azul, negro", "Simón": "azul"})
    english = interpret({"marquis": "purple, black", "mecke": "green or blue, black", "simon": "blue"})

    assert spanish.groups[0]["keys"] == english.groups[0]["keys"]
