"""The substance vocabulary: synonyms find one key, and every substance the reagent engine names is in it."""

from haven.drugchecking import vocabulary


def test_synonyms_and_spellings_find_the_same_substance():
    for text in ("Molly", "ECSTASY", "mdma", "3,4-methylenedioxymethamphetamine"):
        assert vocabulary.find(text).key == "mdma"
    assert vocabulary.find("p-fluorofentanyl").key == "fluorofentanyl"
    assert vocabulary.find("4_fa").key == "4-fa"


def test_an_unknown_name_is_not_guessed():
    assert vocabulary.find("moon rocks") is None


def test_every_substance_of_havens_literature_table_is_in_the_vocabulary():
    """The substances services see most (the cited literature entries) have vocabulary names; the
    hundreds of rarer published entries are named by the reagent table itself."""
    import yaml

    from haven.drugchecking.reagents.table import LITERATURE_TABLE

    entries = yaml.safe_load(LITERATURE_TABLE.read_text(encoding="utf-8"))["substances"]
    missing = [entry["key"] for entry in entries if vocabulary.find(entry["key"]) is None]
    assert missing == []


def test_every_strip_records_a_vocabulary_substance():
    from haven.drugchecking import strips

    for strip in strips.STRIPS.values():
        assert vocabulary.find(strip.substance).key == strip.substance
        assert strip.limits and strip.sources
