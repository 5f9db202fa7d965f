"""The import script: PsychonautWiki's published reagent file in, Haven's table of facts out.

Tested on a small sample of the published file (tests/data/bifrost_reagents_sample.json, 13 entries,
MIT licence, see reagents/data/SOURCE.md).
"""

import copy
import json
from pathlib import Path

import pytest
import yaml

from haven.drugchecking.reagents import build_table
from haven.drugchecking.reagents.table import DEFAULT_TABLE, TableError, parse_reference

DATA = Path(__file__).parent / "data"
SAMPLE = json.loads((DATA / "bifrost_reagents_sample.json").read_text(encoding="utf-8"))
ALIASES = json.loads((DATA / "bifrost_aliases_sample.json").read_text(encoding="utf-8"))
LITERATURE = yaml.safe_load(build_table.LITERATURE.read_text(encoding="utf-8"))
COMMIT = "e2fb969aff088332e45ef54553838ee62801d6ec"


def build(data=SAMPLE):
    return build_table.build(copy.deepcopy(data), ALIASES, LITERATURE, commit=COMMIT, date="2026-12-07")


def test_the_sample_becomes_a_table_of_facts_that_loads():
    table, descriptions = build()
    loaded = parse_reference(table)
    keys = {reference.key for reference in loaded.references}
    assert {"mdma", "cocaine", "cocaine_crack", "ketamine", "heroin", "mephedrone", "amphetamine", "adderall"} <= keys
    assert "clonazepam" in keys  # one published reagent only, so it comes from the literature table alone
    assert table["source"]["commit"] == COMMIT and table["source"]["licence"] == "MIT"
    assert descriptions["mdma"]["marquis"]  # the written descriptions are kept apart, for evaluation only


def test_colours_are_ids_with_hex_values_not_the_sources_sentences():
    table, _descriptions = build()
    mdma = next(item for item in table["substances"] if item["key"] == "mdma")
    published = [report for report in mdma["reactions"]["marquis"] if report["source"] == "psychonautwiki"]
    assert all(set(report) <= {"steps", "source", "slow"} for report in published)
    assert all(step in table["colours"] for report in published for step in report["steps"])
    assert all(value.startswith("#") and len(value) == 7 for value in table["colours"].values())
    assert "instant" not in json.dumps(table)  # no description text in the table


def test_literature_entries_stay_as_reports_of_their_own():
    table, _descriptions = build()
    heroin = next(item for item in table["substances"] if item["key"] == "heroin")
    assert {report["source"] for report in heroin["reactions"]["marquis"]} == {"psychonautwiki", "literature"}


def test_each_coloured_reagents_own_colour_comes_from_the_data():
    table, _descriptions = build()
    assert table["reagent_colours"]["mandelin"]["colour"].startswith("yellow")


def test_the_committed_table_is_what_the_script_builds_from_the_published_file():
    committed = json.loads(DEFAULT_TABLE.read_text(encoding="utf-8"))
    assert committed["source"]["commit"] == COMMIT
    # 725 with results for two or more reagents, and 21 cannabinoids reported for the 4-AP reagent alone
    assert len([s for s in committed["substances"] if "psychonautwiki" in s["sources"]]) == 746


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.pop("colors"), "needs a list 'colors'"),
    (lambda d: d["colors"][0].update(hex="blue"), r"colors\[0\]: 'hex' must look like #rrggbb"),
    (lambda d: d["reagents"][0].update(fullName="Duquenois"), "unknown reagent 'Duquenois'"),
    (lambda d: d["results"].pop(), "needs one row per substance"),
    (lambda d: d["results"][0][0].__setitem__(0, [[99], [1], True, "x"]), r"colour ids must be 0\.\.26"),
])
def test_a_file_that_does_not_have_the_published_schema_is_refused_with_where(change, message):
    data = copy.deepcopy(SAMPLE)
    change(data)
    with pytest.raises(build_table.SchemaError, match=message):
        build(data)


def test_the_command_reports_a_bad_file_and_exits_2(tmp_path, capsys):
    bad = tmp_path / "reagents.json"
    bad.write_text("{not json")
    code = build_table.main(["--reagents", str(bad), "--commit", COMMIT, "--output", str(tmp_path / "out.json"),
                             "--descriptions", str(tmp_path / "d.json")])
    assert code == 2 and "cannot be read as JSON" in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()  # nothing half-written


def test_the_command_writes_the_table(tmp_path):
    source = tmp_path / "reagents.json"
    source.write_text(json.dumps(SAMPLE))
    code = build_table.main(["--reagents", str(source), "--commit", COMMIT, "--date", "2026-12-07",
                             "--output", str(tmp_path / "reference.json"), "--descriptions", str(tmp_path / "d.json")])
    assert code == 0
    assert parse_reference(json.loads((tmp_path / "reference.json").read_text())).find("crack").key == "cocaine_crack"


def test_a_table_failing_its_schema_is_a_clear_table_error():
    table, _descriptions = build()
    table["colours"]["purple2"] = "not a colour"
    with pytest.raises(TableError, match="colour 'purple2' must be a hex code"):
        parse_reference(table)


def test_the_written_table_has_one_substance_per_line_and_reads_back_the_same():
    table, _descriptions = build()
    text = build_table.table_text(table)
    assert json.loads(text) == table
    assert len(text.splitlines()) == len(table["substances"]) + len(table) + 2
