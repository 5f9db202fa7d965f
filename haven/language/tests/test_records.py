"""The checker's small record classes behave as the dataclasses they replace."""

import pytest

from haven.language.checker import AllowList, Finding
from haven.language.rules import Example, Source


def test_a_record_takes_its_fields_in_order_or_by_name_and_fills_in_defaults():
    assert Example("x") == Example(text="x", format="text", found=None)
    assert Example("x", "markdown").format == "markdown"
    with pytest.raises(TypeError, match="needs a value for 'text'"):
        Example()
    with pytest.raises(TypeError, match="no field 'colour'"):
        Example("x", colour="red")
    with pytest.raises(TypeError, match="two values"):
        Example("x", text="y")
    with pytest.raises(TypeError, match="at most 3"):
        Example("a", "b", "c", "d")


def test_list_defaults_are_not_shared_between_records():
    first, second = AllowList(), AllowList()
    first.phrases.append("clean slate")
    assert second.phrases == [] and not second


def test_frozen_records_refuse_changes_and_hash_by_value():
    source = Source("nida", "NIDA Words Matter", "NIDA")
    with pytest.raises(AttributeError):
        source.short = "other"
    assert hash(source) == hash(Source("nida", "NIDA Words Matter", "NIDA"))
    assert source.replace(short="N") == Source("nida", "NIDA Words Matter", "N")


def test_other_records_can_change_but_not_be_hashed_and_print_their_fields():
    finding = Finding(0, 5, 1, 1, 1, 6, "addict", "addict", ["person with a substance use disorder"], "NIDA", "error", "")
    finding.file = "notes.md"
    assert finding.file == "notes.md"
    with pytest.raises(TypeError, match="unhashable"):
        hash(finding)
    assert repr(finding).startswith("Finding(start=0, end=5, line=1,") and "file='notes.md'" in repr(finding)
    assert finding != Finding(**{**finding.fields(), "rule": "other"})
