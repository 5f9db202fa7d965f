"""The command line: haven interactions SUBSTANCE SUBSTANCE [...] [--json]"""

import json

import pytest

from haven.education.cli import main


def test_json_prints_one_object_per_pair_with_a_b_risk_and_risk_rank(capsys):
    assert main(["heroin", "Xanax", "lithium", "--json"]) == 0

    pairs = json.loads(capsys.readouterr().out)
    assert [(p["a"], p["b"]) for p in pairs] == [("heroin", "alprazolam"), ("heroin", "lithium"),
                                                 ("alprazolam", "lithium")]
    first = pairs[0]
    assert (first["risk"], first["risk_rank"], first["direction"], first["reliability"]) == (
        "dangerous", 3, "increase", "proven")
    assert first["explanation"] and first["sources"][0]["url"].startswith("https://")
    assert {"title", "publisher", "year", "url"} <= set(first["sources"][0])


def test_an_unknown_pair_in_json_has_risk_unknown_and_no_risk_rank(capsys):
    assert main(["--json", "xylazine", "lithium"]) == 0

    [pair] = json.loads(capsys.readouterr().out)
    assert pair["risk"] == "unknown" and "risk_rank" not in pair


def test_text_output_reads_for_a_person(capsys):
    assert main(["crack", "booze", "tranq"]) == 0

    out = capsys.readouterr().out
    assert "Crack cocaine + Alcohol: DANGEROUS (risk 3 of 3; effects increase)" in out
    assert "cocaethylene" in out and "Sources:" in out
    assert "Alcohol + Xylazine: DANGEROUS" in out or "Xylazine + Alcohol: DANGEROUS" in out or "UNSAFE" in out


def test_an_unknown_pair_reads_unknown_never_low(capsys):
    assert main(["tranq", "lithium"]) == 0

    out = capsys.readouterr().out
    assert "Xylazine + Lithium: UNKNOWN\n  No information on this combination. This does not mean it is safe." in out


def test_an_unknown_substance_exits_2_with_suggestions_on_stderr(capsys):
    assert main(["heroin", "fentanil"]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert "unknown substance 'fentanil'. Did you mean: " in captured.err and "Fentanyl" in captured.err


@pytest.mark.parametrize("argv", [[], ["heroin"], ["--json", "heroin"]])
def test_fewer_than_two_substances_is_a_usage_error(argv, capsys):
    assert main(argv) == 2

    err = capsys.readouterr().err
    assert err.startswith("usage: haven interactions") and "give at least two substances" in err


def test_two_names_for_the_same_substance_are_a_usage_error(capsys):
    assert main(["cocaine", "crack"]) == 2
    assert "same substance" in capsys.readouterr().err


def test_an_unknown_option_is_a_usage_error(capsys):
    assert main(["heroin", "xanax", "--yaml"]) == 2
    assert "unrecognized arguments: --yaml" in capsys.readouterr().err


@pytest.mark.parametrize(("content", "message"), [
    (b"rules: [\n", "invalid YAML at line"),
    (b"", "the file is empty"),
    (b"\x00\x01\x02binary", "looks like a binary file"),
    (b"rules:\n  - between: [heroin, alcohol]\n", "missing key(s)"),
])
def test_a_broken_data_file_exits_2_with_a_clear_message(data_copy, content, message, capsys):
    (data_copy / "interactions.yaml").write_bytes(content)

    assert main(["--data", str(data_copy), "heroin", "xanax"]) == 2

    err = capsys.readouterr().err
    assert "the knowledge base cannot be loaded" in err and "interactions.yaml" in err and message in err
    assert "Traceback" not in err


def test_a_missing_data_folder_exits_2(tmp_path, capsys):
    assert main(["--data", str(tmp_path / "nowhere"), "heroin", "xanax"]) == 2
    assert "file not found" in capsys.readouterr().err


def test_list_shows_every_substance_with_its_names(capsys):
    assert main(["--list"]) == 0

    out = capsys.readouterr().out
    assert "alprazolam: Alprazolam (Xanax, bars" in out


def test_help_names_the_command(capsys):
    assert main(["--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: haven interactions")
