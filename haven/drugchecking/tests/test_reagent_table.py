"""The reference table and its loader: every entry sourced, every word known, errors that say where."""

import pytest

from haven.drugchecking.reagents import TableError, load_table, substances
from haven.drugchecking.reagents.table import DEFAULT_TABLE, default_table, parse_table
from haven.drugchecking.reagents.vocabulary import REAGENT_KEYS

VALID = {
    "sources": {"kit": "A kit maker's chart"},
    "substances": [
        {"key": "mdma", "name": "MDMA", "class": "entactogen", "sources": ["kit"],
         "reactions": {"marquis": "purple, black", "simon": "blue"}},
    ],
}


def entry(**changes):
    data = {"sources": dict(VALID["sources"]), "substances": [dict(VALID["substances"][0])]}
    data["substances"][0].update(changes)
    return data


def without(field):
    data = entry()
    del data["substances"][0][field]
    return data


def test_the_table_has_at_least_80_substances_services_commonly_see():
    keys = {substance.key for substance in substances()}
    assert len(keys) >= 80
    for key in ["mdma", "mda", "mdea", "mbdb", "methylone", "amphetamine", "methamphetamine", "mephedrone",
                "alpha_pvp", "eutylone", "cocaine", "heroin", "morphine", "codeine", "oxycodone", "fentanyl",
                "ketamine", "lsd", "2c_b", "dmt", "psilocin", "mescaline", "dob", "25i_nbome", "alprazolam",
                "ghb", "caffeine", "lidocaine", "procaine", "benzocaine", "levamisole", "paracetamol",
                "phenacetin", "sucrose", "creatine", "xylazine"]:
        assert key in keys, key


def test_substances_are_key_name_class_triples():
    by_key = {substance.key: substance for substance in substances()}
    key, name, substance_class = by_key["mdma"]
    assert (key, name) == ("mdma", "MDMA")
    assert substance_class


def test_every_entry_cites_its_sources_in_full():
    table = default_table()
    for reference in table.references:
        assert reference.sources, reference.key
        assert all(len(citation) > 20 for citation in reference.sources), reference.key


def test_every_reagent_has_reference_reactions():
    table = default_table()
    for reagent in REAGENT_KEYS:
        assert any(reagent in reference.reactions for reference in table.references), reagent


def test_a_reagent_left_out_is_unknown_not_no_reaction():
    cocaine = default_table().get("cocaine")
    assert "4_ap" not in cocaine.reactions
    assert cocaine.describe("4_ap") == "unknown"
    assert not cocaine.reactions["marquis"].reacts


def test_a_valid_table_loads():
    table = parse_table(VALID)
    mdma = table.get("mdma")
    assert mdma.reactions["marquis"].steps == (("purple",), ("black",))
    assert mdma.sources == ("A kit maker's chart",)


def test_alternatives_and_faint_reactions_are_read():
    table = parse_table(entry(reactions={"marquis": "orange or red, brown", "mecke": "no reaction or light yellow"}))
    reactions = table.get("mdma").reactions
    assert reactions["marquis"].steps == (("orange", "red"), ("brown",))
    assert reactions["mecke"].may_not_react and reactions["mecke"].steps == (("light yellow",),)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (entry(reactions={"marquis": "plurple"}), r"substance 'mdma', marquis: unknown colour 'plurple'"),
        (entry(reactions={"duquenois": "purple"}), r"substance 'mdma': unknown reagent 'duquenois'"),
        (entry(sources=[]), r"substance 'mdma': missing 'sources'"),
        (without("sources"), "missing 'sources'"),
        (entry(sources=["unlisted"]), r"source 'unlisted' is not listed"),
        (entry(reactions={}), "missing 'reactions'"),
        (entry(reactions={"marquis": "purple -> black"}), "separate steps with commas"),
        (entry(reactions={"marquis": "purple, no reaction"}), "'no reaction' may only come first"),
        (entry(name=""), "missing 'name'"),
        (entry(colour="blue"), "unknown fields"),
        ({"sources": {"kit": "A chart"}, "substances": [VALID["substances"][0]] * 2}, "duplicate key"),
        ({"sources": {}, "substances": VALID["substances"]}, "'sources' must map"),
        ({"sources": {"kit": ""}, "substances": VALID["substances"]}, "has no citation text"),
        ({"substances": []}, "needs top-level"),
        ([], "needs top-level"),
    ],
)
def test_an_invalid_table_is_refused_with_a_message_that_says_where(data, message):
    with pytest.raises(TableError, match=message):
        parse_table(data)


def test_a_missing_or_broken_file_is_a_table_error(tmp_path):
    with pytest.raises(TableError, match="cannot be read"):
        load_table(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("sources: [unclosed\n")
    with pytest.raises(TableError, match="not valid YAML"):
        load_table(broken)


def test_the_default_table_file_ships_inside_the_package():
    assert DEFAULT_TABLE.name == "reference.json"
    assert "haven/drugchecking/reagents/data" in DEFAULT_TABLE.as_posix()
