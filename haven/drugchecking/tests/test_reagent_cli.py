"""``haven reagents``: REAGENT=COLOURS in, ranked candidates out (JSON or a readable table)."""

import json

from haven.drugchecking.reagents.cli import main


def run(capsys, argv):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_lists_candidates_best_first_with_substance_and_score(capsys):
    code, out, err = run(capsys, ["marquis=purple,black", "mecke=green", "--json"])
    assert code == 0, err
    candidates = json.loads(out)
    assert isinstance(candidates, list)
    assert "MDMA" in [c["substance"] for c in candidates[:5]]
    assert [c["score"] for c in candidates] == sorted((c["score"] for c in candidates), reverse=True)
    assert candidates[0]["evidence"][0]["observed"] == ["purple", "black"]
    assert err.count("caution:") >= 3 and "purity" in err


def test_json_full_gives_the_whole_interpretation_with_its_cautions(capsys):
    code, out, err = run(capsys, ["marquis=purple,black", "mecke=green", "--json", "--full"])
    assert code == 0, err
    data = json.loads(out)
    assert "MDMA" in data["groups"][0]["names"] + data["groups"][1]["names"]
    assert len(data["cautions"]) >= 3


def test_the_comma_separates_a_sequence_within_one_reagent(capsys):
    code, out, _err = run(capsys, ["marquis=purple,black", "simon=blue", "--json", "--full"])
    data = json.loads(out)
    assert code == 0 and data["observations"] == {"marquis": ["purple", "black"], "simon": ["blue"]}


def test_top_limits_the_candidates(capsys):
    code, out, _err = run(capsys, ["marquis=orange", "--json", "--top", "2"])
    assert code == 0 and len(json.loads(out)) == 2


def test_the_readable_table_shows_what_the_colours_fit_and_the_cautions(capsys):
    code, out, _err = run(capsys, ["marquis=purple,black", "Simon's=no reaction", "mandelin=orange"])
    assert code == 0
    assert "Colours fit" in out and "cannot tell apart" in out
    assert "purity" in out and "fentanyl" in out


def test_reagent_names_are_accepted_as_people_write_them(capsys):
    code, out, err = run(capsys, ["simons=blue", "gallic acid=green", "4-ap=no reaction", "--json", "--full"])
    assert code == 0, err
    assert set(json.loads(out)["observations"]) == {"simon", "gallic_acid", "4_ap"}


def test_a_kit_accepts_only_its_reagents(capsys):
    code, _out, _err = run(capsys, ["--kit", "mmmf", "marquis=purple", "froehde=purple"])
    assert code == 0
    code, _out, err = run(capsys, ["--kit", "mmmf", "simons=blue"])
    assert code == 2 and "not in the mmmf kit" in err


def test_an_unknown_reagent_is_a_clear_message_and_exit_code_2(capsys):
    code, out, err = run(capsys, ["marqui=purple"])
    assert code == 2 and out == ""
    assert "unknown reagent 'marqui'" in err and "Did you mean Marquis" in err


def test_an_unknown_colour_is_a_clear_message_and_exit_code_2(capsys):
    code, out, err = run(capsys, ["marquis=purple,blak"])
    assert code == 2 and out == ""
    assert "unknown colour 'blak'" in err


def test_an_argument_without_equals_is_refused(capsys):
    code, _out, err = run(capsys, ["marquis"])
    assert code == 2 and "REAGENT=COLOURS" in err


def test_no_observation_is_refused_with_an_example(capsys):
    code, _out, err = run(capsys, [])
    assert code == 2 and "haven reagents marquis=" in err


def test_the_same_reagent_twice_is_refused(capsys):
    code, _out, err = run(capsys, ["simon=blue", "simons=blue"])
    assert code == 2 and "given twice" in err


def test_list_shows_reagents_kits_and_each_entrys_sources(capsys):
    code, out, _err = run(capsys, ["--list"])
    assert code == 0 and "gallic_acid" in out and "4_ap" in out and "Kit mmmf" in out
    mdma = next(line for line in out.splitlines() if line.startswith("mdma: MDMA"))
    assert "PsychonautWiki" in mdma and "literature" in mdma
    assert "e2fb969aff088332e45ef54553838ee62801d6ec" in out and "MIT" in out


def test_a_bad_table_file_is_exit_code_2(capsys, tmp_path):
    table = tmp_path / "table.yaml"
    table.write_text("sources: {kit: A chart}\nsubstances:\n  - {key: a, name: A, class: x, sources: [kit], "
                     "reactions: {marquis: plurple}}\n")
    code, _out, err = run(capsys, ["marquis=purple", "--table", str(table)])
    assert code == 2 and "plurple" in err


def test_help_exits_0(capsys):
    code, out, _err = run(capsys, ["--help"])
    assert code == 0 and "REAGENT=COLOURS" in out
