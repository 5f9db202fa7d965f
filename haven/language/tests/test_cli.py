"""The command line: haven lint-language [--format text|json|sarif] [--allow FILE] FILE..."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from haven.language.cli import main


@pytest.fixture
def write(tmp_path):
    def _write(name: str, content: str | bytes):
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return str(path)

    return _write


def test_it_exits_0_when_the_text_is_clean(write, capsys):
    assert main([write("ok.md", "People who use drugs are welcome.\n")]) == 0
    assert capsys.readouterr().out == ""


def test_it_exits_1_and_prints_file_line_column_text_suggestions_rule_and_source(write, capsys):
    path = write("note.md", "Intro.\n\nWe met two addicts today.\n")
    assert main([path]) == 1
    out = capsys.readouterr().out.strip()
    assert out.startswith(f'{path}:3:12: "addicts" -> person with a substance use disorder / ')
    assert out.endswith("(addict, NIDA Words Matter; ONDCP 2017 memo; AP Stylebook; VA content guide)")


def test_json_findings_carry_offsets_positions_and_rule_details(write, capsys):
    text = "Line one.\nHeroin users came by.\n"
    path = write("a.txt", text)
    assert main(["--format", "json", path]) == 1
    data = json.loads(capsys.readouterr().out)
    [finding] = data["findings"]
    assert text[finding["start"] : finding["end"]] == "Heroin users"
    assert finding["line"] == 2 and finding["column"] == 1
    assert finding["text"] == "Heroin users" and finding["rule"] == "drug-user"
    assert finding["file"] == path and finding["severity"] == "error"
    assert "people who use drugs" in finding["suggestions"]
    assert "NIDA Words Matter" in finding["source"]
    assert data["summary"] == {"files_checked": 1, "findings": 1, "errors": 0}


def test_sarif_output_is_sarif_2_1_0(write, capsys):
    path = write("a.html", "<p>Two junkies</p>\n")
    assert main(["--format", "sarif", path]) == 1
    sarif = json.loads(capsys.readouterr().out)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert run["tool"]["driver"]["name"] == "haven-language"
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    [result] = run["results"]
    assert result["ruleId"] == "junkie" and rule_ids[result["ruleIndex"]] == "junkie"
    assert result["level"] == "error"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (1, 8, 15)
    assert region["charOffset"] == 7 and region["charLength"] == 7
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("a.html")
    assert run["invocations"][0]["executionSuccessful"] is True


def test_it_reads_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Some drug users.\n"), encoding="utf-8"))
    assert main(["-"]) == 1
    assert capsys.readouterr().out.startswith('-:1:6: "drug users" -> ')


def test_a_missing_file_is_bad_input(tmp_path, capsys):
    assert main([str(tmp_path / "nope.md")]) == 2
    captured = capsys.readouterr()
    assert "nope.md: no such file" in captured.err and "Traceback" not in captured.err


def test_an_empty_file_is_clean_with_a_note(write, capsys):
    assert main([write("empty.md", "")]) == 0
    assert "empty file" in capsys.readouterr().err


def test_a_binary_file_is_bad_input_with_a_clear_message(write, capsys):
    assert main([write("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")]) == 2
    err = capsys.readouterr().err
    assert "logo.png: looks like a binary file" in err and "Traceback" not in err


def test_a_file_that_is_not_utf8_is_bad_input(write, capsys):
    assert main([write("latin1.txt", "caf\xe9 addicts".encode("latin-1"))]) == 2
    assert "not UTF-8 text" in capsys.readouterr().err


def test_bad_input_wins_over_findings(write, tmp_path, capsys):
    assert main([write("a.txt", "addicts"), str(tmp_path / "missing.txt")]) == 2
    captured = capsys.readouterr()
    assert "addicts" in captured.out and "missing.txt" in captured.err


def test_errors_are_listed_in_json_output(tmp_path, capsys):
    assert main(["--format", "json", str(tmp_path / "missing.txt")]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["errors"][0]["message"].endswith("no such file")


def test_it_checks_the_files_in_a_folder(tmp_path, capsys):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("junkies\n", encoding="utf-8")
    (tmp_path / "docs" / "b.png").write_bytes(b"\x00\x01")
    assert main([str(tmp_path / "docs")]) == 1
    assert "a.md:1:1:" in capsys.readouterr().out


def test_an_allow_file_suppresses_phrases(write, capsys):
    path = write("a.txt", "The Drug User Health Hub and drug users.\n")
    allow = write("allow.yaml", "- drug user health hub\n")
    assert main(["--allow", allow, "--format", "json", path]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [f["text"] for f in data["findings"]] == ["drug users"]


def test_an_invalid_allow_file_is_bad_input(write, capsys):
    allow = write("allow.yaml", "phrases: {not: a list}\n")
    assert main(["--allow", allow, write("a.txt", "hello")]) == 2
    assert "allow.yaml" in capsys.readouterr().err


def test_an_allow_file_naming_an_unknown_rule_is_bad_input(write, capsys):
    allow = write("allow.yaml", "rules: [no-such-rule]\n")
    assert main(["--allow", allow, write("a.txt", "hello")]) == 2
    assert "no-such-rule" in capsys.readouterr().err


def test_the_input_format_can_be_forced(write, capsys):
    path = write("page.txt", "<p title='Two addicts'>hi</p>")
    assert main(["--input-format", "html", path]) == 1
    assert main(["--input-format", "text", path]) == 1


def test_no_files_is_a_usage_error(capsys):
    assert main([]) == 2
    assert "give at least one FILE" in capsys.readouterr().err


def test_an_unknown_option_is_a_usage_error(capsys):
    assert main(["--format", "xml", "a.txt"]) == 2
    assert "haven lint-language" in capsys.readouterr().err


def test_help_exits_0(capsys):
    assert main(["--help"]) == 0
    assert "usage: haven lint-language" in capsys.readouterr().out


def test_list_rules_prints_every_rule(capsys):
    assert main(["--list-rules"]) == 0
    out = capsys.readouterr().out
    assert "drug-user [error]" in out and "relapse [warning]" in out


def _python_m(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "haven.language", *arguments], capture_output=True, text=True, check=False
    )


def test_python_dash_m_runs_the_command_line(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("Clean needles here.\n", encoding="utf-8")
    result = _python_m("--format", "json", str(path))
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["findings"][0]["rule"] == "clean-needles"


def test_a_findings_dict_holds_every_field_in_order_and_its_own_copy_of_the_suggestions():
    from haven.language.checker import Checker, Finding

    findings = Checker().check("He is an addict. Clean urine. The junkies and drug abusers.")
    assert findings
    for finding in findings:
        assert list(finding.to_dict()) == list(Finding.__slots__)
        assert list(finding.to_dict().values()) == [getattr(finding, name) for name in Finding.__slots__]
        assert finding.to_dict()["suggestions"] is not finding.suggestions


def test_json_output_is_one_finding_to_a_line_and_parses_back_to_the_findings():
    from haven.language.checker import Checker
    from haven.language.report import FileProblem, format_json

    findings = Checker().check("He is an addict.\n\nShe is a “junkie”, a junkie.\n", file="ñotes.md")
    problems = [FileProblem("gone.md", "gone.md: no such file"), FileProblem("e.md", "e.md: empty", fatal=False)]
    output = format_json(findings, problems, 2)
    data = json.loads(output)
    assert data["findings"] == [f.to_dict() for f in findings] and len(findings) == 2
    assert data["errors"] == [{"file": "gone.md", "message": "gone.md: no such file"}]
    assert data["notes"] == [{"file": "e.md", "message": "e.md: empty"}]
    assert data["summary"] == {"files_checked": 2, "findings": 2, "errors": 1}
    assert sum(1 for line in output.splitlines() if line.startswith('    {"start"')) == 2
    assert "ñotes.md" in output  # written as is, not escaped


def test_python_m_writes_all_its_output_and_exit_status_before_leaving_quickly(tmp_path):
    texts = [f"Note {i}: the addict came back, and a junkie too." for i in range(3000)]
    path = tmp_path / "long.txt"
    path.write_text("\n\n".join(texts) + "\n", encoding="utf-8")
    result = _python_m("--format", "json", str(path))
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["summary"]["findings"] == 6000
    clean = tmp_path / "clean.txt"
    clean.write_text("People who use drugs came by.\n", encoding="utf-8")
    result = _python_m(str(clean))
    assert result.returncode == 0 and result.stderr == "0 findings in 0 of 1 file checked\n"
