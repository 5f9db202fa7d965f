"""A broken data file is refused with a message that names the file and the entry."""

import pytest

from haven.education import interactions, knowledge
from haven.education.knowledge import KnowledgeError


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unknown_key_is_named_with_its_file_and_substance(data_copy):
    edit(data_copy / "substances" / "opioids.yaml", "  - id: fentanyl\n", "  - id: fentanyl\n    colour: white\n")

    with pytest.raises(KnowledgeError, match=r"opioids\.yaml: substance 'fentanyl': unknown key\(s\) colour"):
        knowledge.load(data_copy)


def test_a_fact_group_without_sources_is_refused(data_copy):
    edit(data_copy / "substances" / "stimulants.yaml",
         "      sources: [fda-caffeine]\n", "      sources: []\n")

    with pytest.raises(KnowledgeError, match=r"stimulants\.yaml: substance 'caffeine': 'timing' has no sources"):
        knowledge.load(data_copy)


def test_a_source_missing_from_the_sources_file_is_refused(data_copy):
    edit(data_copy / "substances" / "opioids.yaml", "sources: [nida-heroin, euda-heroin]",
         "sources: [nida-heroin, my-blog]")

    with pytest.raises(KnowledgeError, match=r"substance 'heroin'.*unknown source\(s\) my-blog"):
        knowledge.load(data_copy)


def test_a_name_used_by_two_substances_is_refused(data_copy):
    edit(data_copy / "substances" / "stimulants.yaml", "names: [coke, blow,", "names: [coke, Dope, blow,")

    with pytest.raises(KnowledgeError, match=r"stimulants\.yaml: substance 'cocaine': the name 'Dope' is already "
                                             r"used by substance 'heroin'"):
        knowledge.load(data_copy)


def test_a_name_repeated_within_one_substance_is_refused(data_copy):
    edit(data_copy / "substances" / "stimulants.yaml", "names: [coke, blow,", "names: [coke, COKE, blow,")

    with pytest.raises(KnowledgeError, match=r"substance 'cocaine': duplicate name\(s\)"):
        knowledge.load(data_copy)


def test_an_unknown_class_route_or_test_is_refused(data_copy):
    edit(data_copy / "substances" / "stimulants.yaml", "classes: [stimulant]\n", "classes: [upper]\n")

    with pytest.raises(KnowledgeError, match=r"substance 'cocaine': classes names unknown 'upper'"):
        knowledge.load(data_copy)


def test_an_item_with_a_colon_explains_how_to_quote_it(data_copy):
    edit(data_copy / "substances" / "stimulants.yaml", "        - Avoid pure caffeine powder.\n",
         "        - Avoid: pure caffeine powder.\n")

    with pytest.raises(KnowledgeError, match=r"substance 'caffeine': 'safer_use.items' item 2 .*quote it"):
        knowledge.load(data_copy)


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b"  \n\n", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "looks like a binary file"),
    (b"substances: [\n  - id: x\n", "invalid YAML at line"),
    ("caf\xe9".encode("latin-1"), "not UTF-8 text"),
])
def test_an_empty_binary_or_malformed_file_is_refused_clearly(data_copy, content, message):
    (data_copy / "sources.yaml").write_bytes(content)

    with pytest.raises(KnowledgeError, match=message) as raised:
        knowledge.load(data_copy)
    assert "sources.yaml" in str(raised.value)


def test_an_interaction_rule_naming_an_unknown_substance_suggests_close_ids(data_copy):
    edit(data_copy / "interactions.yaml", "between: [cocaine, alcohol]", "between: [cocain, alcohol]")

    with pytest.raises(KnowledgeError, match=r"rule #\d+ \(cocain \+ alcohol\): unknown substance id 'cocain'"):
        interactions.load(data_copy)


def test_an_interaction_rule_without_sources_is_refused(data_copy):
    edit(data_copy / "interactions.yaml", "    sources: [pennings-2002-cocaethylene]\n", "    sources: []\n")

    with pytest.raises(KnowledgeError, match=r"\(cocaine \+ alcohol\): every rule needs at least one source"):
        interactions.load(data_copy)


def test_two_rules_for_the_same_pair_are_refused(data_copy):
    edit(data_copy / "interactions.yaml", "between: [cocaine, methamphetamine]", "between: [amphetamine, cocaine]")

    with pytest.raises(KnowledgeError, match=r"\(cocaine \+ amphetamine\): the same pair is already covered"):
        interactions.load(data_copy)


def test_an_unknown_risk_level_is_refused(data_copy):
    edit(data_copy / "interactions.yaml", "risk: low\n", "risk: safe\n")

    with pytest.raises(KnowledgeError, match=r"'risk' must be one of dangerous, unsafe, caution, low"):
        interactions.load(data_copy)
