"""Invalid rules files fail with a clear message that names the file and the rule."""

from __future__ import annotations

import textwrap

import pytest

from haven.language.cli import main
from haven.language.rules import DEFAULT_RULES_DIR, RulesError, load_rules

GOOD = """
rules:
  - id: sample-rule
    terms: [junkie]
    suggestions: [person who uses drugs]
    note: A label.
    source: nida
    severity: error
    examples:
      match: [a junkie]
      no_match: [a person]
"""


def _write(tmp_path, body: str, name: str = "bad.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def _error(tmp_path, body: str) -> RulesError:
    path = _write(tmp_path, body)
    with pytest.raises(RulesError) as info:
        load_rules([path])
    return info.value


def test_the_built_in_rules_load():
    rules = load_rules([DEFAULT_RULES_DIR])
    assert len(rules) >= 20
    assert len({r.id for r in rules}) == len(rules)


def test_a_minimal_rules_file_loads(tmp_path):
    [rule] = load_rules([_write(tmp_path, GOOD)])
    assert rule.id == "sample-rule" and rule.source == "NIDA Words Matter"


def test_invalid_yaml_names_the_file_and_line(tmp_path):
    err = _error(tmp_path, "rules:\n  - id: x\n    terms: [unclosed\n")
    assert "bad.yaml" in str(err) and "invalid YAML" in str(err) and "line" in str(err)


def test_a_missing_field_names_the_rule(tmp_path):
    err = _error(tmp_path, GOOD.replace("    suggestions: [person who uses drugs]\n", ""))
    assert "bad.yaml" in str(err) and "'sample-rule'" in str(err) and "suggestions" in str(err)


def test_an_unknown_key_names_the_rule(tmp_path):
    err = _error(tmp_path, GOOD.replace("    note:", "    sugestions: [x]\n    note:"))
    assert "'sample-rule'" in str(err) and "sugestions" in str(err)


def test_an_invalid_regular_expression_names_the_rule(tmp_path):
    err = _error(tmp_path, GOOD.replace("    terms: [junkie]", "    pattern: 'junk(ie'"))
    assert "'sample-rule'" in str(err) and "invalid regular expression" in str(err)


def test_an_unknown_vocabulary_word_list_names_the_rule(tmp_path):
    err = _error(tmp_path, GOOD.replace("    terms: [junkie]", "    pattern: '{nothing} users'"))
    assert "'sample-rule'" in str(err) and "{nothing}" in str(err)


def test_an_unknown_source_names_the_rule(tmp_path):
    err = _error(tmp_path, GOOD.replace("source: nida", "source: blog"))
    assert "'sample-rule'" in str(err) and "unknown source 'blog'" in str(err)


def test_a_bad_severity_names_the_rule(tmp_path):
    err = _error(tmp_path, GOOD.replace("severity: error", "severity: loud"))
    assert "'sample-rule'" in str(err) and "severity" in str(err)


def test_both_terms_and_pattern_is_an_error(tmp_path):
    err = _error(tmp_path, GOOD.replace("    terms: [junkie]", "    terms: [junkie]\n    pattern: junk"))
    assert "exactly one of 'terms'" in str(err)


def test_missing_examples_is_an_error(tmp_path):
    err = _error(tmp_path, GOOD.replace("      no_match: [a person]\n", ""))
    assert "'sample-rule'" in str(err) and "no_match" in str(err)


def test_a_duplicate_id_is_an_error(tmp_path):
    path = _write(tmp_path, GOOD)
    other = _write(tmp_path, GOOD, "other.yaml")
    with pytest.raises(RulesError) as info:
        load_rules([path, other])
    assert "duplicate rule id" in str(info.value) and "'sample-rule'" in str(info.value)


def test_a_rule_without_an_id_is_named_by_its_position(tmp_path):
    err = _error(tmp_path, GOOD.replace("  - id: sample-rule\n", "  - \n"))
    assert "rule #1" in str(err)


def test_the_command_line_reports_an_invalid_rules_file_without_a_traceback(tmp_path, capsys):
    rules = _write(tmp_path, GOOD.replace("severity: error", "severity: loud"))
    text = tmp_path / "a.txt"
    text.write_text("hello", encoding="utf-8")
    assert main(["--rules", str(rules), str(text)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "'sample-rule'" in err and "Traceback" not in err


def test_the_command_line_can_use_a_custom_rules_file(tmp_path, capsys):
    rules = _write(tmp_path, GOOD, "good.yaml")
    text = tmp_path / "a.txt"
    text.write_text("A junkie and an addict.", encoding="utf-8")
    assert main(["--rules", str(rules), "--format", "json", str(text)]) == 1
    assert '"rule": "sample-rule"' in capsys.readouterr().out
