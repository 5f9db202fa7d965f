"""The script that turns TripSit's published chart into Haven's data, tried on a small sample."""

import json

import pytest
import yaml

from haven.education import tripsit

COMMIT = "83670cb6bc8863615fcb9be081c87f061b42dea4"
DEFINITIONS = [{"status": status} for status in (*tripsit.STATUS, "Unknown")]
PACKAGE = {"name": "tripsit_drug_db", "license": "ISC"}
SAMPLE = {
    "alcohol": {
        "opioids": {"status": "Dangerous", "note": "A note Haven must not copy."},
        "cannabis": {"status": "Caution"},
        "lithium": {"status": "Unknown"},
    },
    "opioids": {"alcohol": {"status": "Dangerous"}, "cannabis": {"status": "Low Risk & Synergy"}},
    "cannabis": {"alcohol": {"status": "Caution"}, "opioids": {"status": "Low Risk & Synergy"}},
    "lithium": {"alcohol": {"status": "Unknown"}},
}


def build(combos=SAMPLE, **kwargs):
    return tripsit.build(
        combos,
        kwargs.pop("definitions", DEFINITIONS),
        kwargs.pop("package", PACKAGE),
        commit=COMMIT,
        date="2026-08-18",
        **kwargs,
    )


def test_each_rated_pair_is_kept_once_in_havens_terms_and_unknown_cells_are_left_out():
    data = build()

    assert data["categories"] == ["alcohol", "cannabis", "lithium", "opioids"]
    assert data["pairs"] == [
        ["alcohol", "cannabis", "caution", "unknown"],
        ["alcohol", "opioids", "dangerous", "unknown"],
        ["cannabis", "opioids", "low", "increase"],
    ]


def test_the_source_records_commit_date_licence_and_a_link_to_the_file():
    source = build()["source"]

    assert source["commit"] == COMMIT and source["licence"] == "ISC" and source["year"] == 2026
    assert source["url"] == f"https://github.com/TripSit/drugs/blob/{COMMIT}/combos.json"


def test_tripsits_notes_are_never_copied():
    assert "must not copy" not in tripsit.render(build())


def test_the_rendered_file_reads_back_as_the_same_data():
    data = build(drugs={"alcohol": {"pretty_name": "Alcohol", "aliases": ["booze", "etoh"]}})

    assert yaml.safe_load(tripsit.render(data)) == data


@pytest.mark.parametrize(
    "combos, message",
    [
        ({"a": {"b": {"status": "Dangerous"}}, "b": {"a": {"status": "Caution"}}}, "rated both"),
        ({"a": {"b": {"status": "Deadly"}}, "b": {}}, "not in combo_definitions.json"),
        ({"a": {"z": {"status": "Caution"}}}, "not a category"),
        ({}, "expected an object of categories"),
    ],
)
def test_a_chart_with_contradictions_or_unknown_ratings_is_refused(combos, message):
    with pytest.raises(tripsit.ImportError_, match=message):
        build(combos)


def test_a_new_rating_haven_does_not_know_is_refused():
    with pytest.raises(tripsit.ImportError_, match="rating"):
        build(definitions=[*DEFINITIONS, {"status": "Mostly Fine"}])


def test_a_package_without_a_licence_is_refused():
    with pytest.raises(tripsit.ImportError_, match="license"):
        build(package={"name": "x"})


def test_the_command_writes_the_file_and_exits_0(tmp_path, capsys):
    for name, content in (
        ("combos.json", SAMPLE),
        ("combo_definitions.json", DEFINITIONS),
        ("package.json", PACKAGE),
    ):
        (tmp_path / name).write_text(json.dumps(content))
    out = tmp_path / "out" / "combos.yaml"

    assert tripsit.main([str(tmp_path), "--commit", COMMIT, "--date", "2026-08-18", "--out", str(out)]) == 0
    assert len(yaml.safe_load(out.read_text())["pairs"]) == 3
    assert "3 rated pairs" in capsys.readouterr().out


def test_invalid_json_or_a_bad_commit_exits_2_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "combos.json").write_text("{not json")
    (tmp_path / "combo_definitions.json").write_text(json.dumps(DEFINITIONS))
    (tmp_path / "package.json").write_text(json.dumps(PACKAGE))
    out = tmp_path / "combos.yaml"

    assert tripsit.main([str(tmp_path), "--commit", COMMIT, "--date", "2026-08-18", "--out", str(out)]) == 2
    assert "invalid JSON at line 1" in capsys.readouterr().err
    assert tripsit.main([str(tmp_path), "--commit", "main", "--date", "2026-08-18", "--out", str(out)]) == 2
    assert not out.exists()


def test_members_of_a_family_category_lend_it_their_names():
    combos = {"2c-t-x": {"nbomes": {"status": "Caution"}}, "nbomes": {"2c-t-x": {"status": "Caution"}}}
    drugs = {
        "2c-t-7": {"pretty_name": "2C-T-7", "aliases": ["2ct7"]},
        "25i-nbome": {"pretty_name": "25I-NBOMe", "aliases": ["25i"]},
        "2c-b": {"pretty_name": "2C-B"},
    }

    names = build(combos, drugs=drugs)["names"]

    assert names == {"2c-t-x": ["2C-T-7", "2c-t-7", "2ct7"], "nbomes": ["25i", "25I-NBOMe", "25i-nbome"]}
