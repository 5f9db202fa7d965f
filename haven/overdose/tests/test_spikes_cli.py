"""The ``haven spikes`` command: CSV in, CSV with alarm and upperbound out, clear errors."""

import csv
import io

import pytest

from haven.overdose.spikes.cli import main

from .reference_data import DATA_DIRECTORY


def run(argv, stdin_text=None):
    out, err = io.StringIO(), io.StringIO()
    stdin = io.StringIO(stdin_text) if stdin_text is not None else None
    code = main(argv, stdin=stdin, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path, text, name="counts.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_cli_reproduces_r_ears_c1_on_the_reference_file():
    path = str(DATA_DIRECTORY / "daily_mean8.csv")
    code, out, err = run([path, "--method", "ears-c1", "--start", "15", "--alpha", "0.001"])
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1095
    assert rows[0]["alarm"] == "" and rows[0]["upperbound"] == ""
    for row in rows[14:]:
        assert row["alarm"] == row["ears_c1_alarm"]
        assert float(row["upperbound"]) == pytest.approx(float(row["ears_c1_upperbound"]), abs=1e-6)


def test_cli_reads_standard_input_and_handles_many_areas():
    lines = ["area,observed"] + [f"north,{3 + (i % 2)}" for i in range(20)] + [f"south,{i % 3}" for i in range(12)]
    lines[-1] = "south,30"
    code, out, err = run(["-", "--method", "ears-c1", "--area-column", "area"], "\n".join(lines) + "\n")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["area"] for row in rows] == ["north"] * 20 + ["south"] * 12
    assert rows[-1]["alarm"] == "1"
    assert rows[20]["alarm"] == ""  # first south row: not enough history


def test_cli_threshold_method_flags_days_with_n_reports(tmp_path):
    path = write(tmp_path, "day,observed\n1,0\n2,3\n3,1\n")
    code, out, _ = run([path, "--method", "threshold", "--threshold", "3"])
    assert code == 0
    assert [row["alarm"] for row in csv.DictReader(io.StringIO(out))] == ["0", "1", "0"]


def test_cli_uses_the_count_column_option(tmp_path):
    path = write(tmp_path, "reports\n" + "\n".join(["2"] * 10) + "\n")
    code, out, _ = run([path, "--count-column", "reports"])
    assert code == 0
    assert out.splitlines()[0] == "reports,alarm,upperbound"


@pytest.mark.parametrize(
    ("text", "argv_extra", "message"),
    [
        ("", [], "is empty"),
        ("day,count\n1,2\n", [], "missing column 'observed'"),
        ("observed\n1\n2\n-3\n" + "1\n" * 10, [], "row 3: negative count -3"),
        ("observed\n1\nmany\n" + "1\n" * 10, [], "row 2: 'many' in column 'observed' is not a number"),
        ("day,observed\n1,1\n2,\n", [], "row 2: no count"),
        ("observed\n1\n2\n3\n", [], "the series has 3 rows; ears-c1 needs more than 7"),
        ("observed\n" + "1\n" * 20, ["--method", "farrington", "--freq", "week"], "farrington needs more than 159"),
        ("observed\n1\n", ["--method", "threshold"], "needs --threshold"),
        ("area,observed\nx,1\n,2\n", ["--area-column", "area"], "row 2: no area"),
        ("observed\n" + "1\n" * 20, ["--start", "50"], "--start 50 is beyond"),
    ],
)
def test_cli_rejects_bad_input_with_one_line_and_exit_code_2(tmp_path, text, argv_extra, message):
    path = write(tmp_path, text)
    code, out, err = run([path] + argv_extra)
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_cli_reports_a_missing_file_without_a_traceback(tmp_path):
    code, _, err = run([str(tmp_path / "nope.csv")])
    assert code == 2
    assert "file not found" in err


def test_method_all_runs_every_method_in_one_call_with_the_same_results_as_one_at_a_time():
    path = str(DATA_DIRECTORY / "weekly_scenario1_m1.csv")
    options = ["--freq", "week", "--start", "400"]
    code, out, err = run([path, "--method", "all", "--threshold", "4", *options])
    assert code == 0, err
    together = list(csv.DictReader(io.StringIO(out)))
    for method in ("ears-c1", "ears-c2", "ears-c3", "ewma", "regression", "switch", "farrington",
                   "farrington-noufaily", "threshold"):
        code, out, err = run([path, "--method", method, "--threshold", "4", *options])
        assert code == 0, err
        alone = list(csv.DictReader(io.StringIO(out)))
        prefix = method.replace("-", "_")
        assert [row[f"{prefix}_alarm"] for row in together] == [row["alarm"] for row in alone], method
        assert [row[f"{prefix}_upperbound"] for row in together] == [row["upperbound"] for row in alone], method
    assert any(row["farrington_alarm"] == "1" for row in together)


def test_method_all_leaves_out_the_count_threshold_without_one_and_notes_methods_a_series_is_too_short_for(
        tmp_path):
    path = write(tmp_path, "observed\n" + "\n".join(str(3 + i % 4) for i in range(60)) + "\n")
    code, out, err = run([path, "--method", "all"])
    assert code == 0, err
    header = out.splitlines()[0].split(",")
    assert "ears_c1_alarm" in header and "farrington_upperbound" in header
    assert not any(name.startswith("threshold_") for name in header)
    assert "farrington needs more than" in err
    assert all(row["farrington_alarm"] == "" for row in csv.DictReader(io.StringIO(out)))
