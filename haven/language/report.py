"""Output formats: human-readable text, JSON and SARIF 2.1.0."""

from __future__ import annotations

import json
from urllib.parse import quote

from .checker import Finding
from .records import Record
from .rules import Rule

TOOL_NAME = "haven-language"
TOOL_VERSION = "1.0.0"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


class FileProblem(Record):
    """A file that could not be checked (or a note about one); fatal is False for notes such as
    "empty file"."""

    __slots__ = ("file", "message", "fatal")
    defaults = {"fatal": True}


def format_text(findings: list[Finding], problems: list[FileProblem]) -> str:
    lines = []
    for f in findings:
        suggestions = " / ".join(f.suggestions)
        lines.append(f'{f.file}:{f.line}:{f.column}: "{f.text}" -> {suggestions} ({f.rule}, {f.source})')
    return "\n".join(lines) + ("\n" if lines else "")


def summary_line(findings: list[Finding], checked: int, problems: list[FileProblem]) -> str:
    errors = sum(1 for p in problems if p.fatal)
    files_with = len({f.file for f in findings})
    noun = "finding" if len(findings) == 1 else "findings"
    text = f"{len(findings)} {noun} in {files_with} of {checked} file{'s' if checked != 1 else ''} checked"
    if errors:
        text += f"; {errors} file{'s' if errors != 1 else ''} could not be checked"
    return text


def format_json(findings: list[Finding], problems: list[FileProblem], checked: int) -> str:
    data = {
        "tool": TOOL_NAME,
        "version": TOOL_VERSION,
        "findings": [f.to_dict() for f in findings],
        "errors": [{"file": p.file, "message": p.message} for p in problems if p.fatal],
        "notes": [{"file": p.file, "message": p.message} for p in problems if not p.fatal],
        "summary": {
            "files_checked": checked,
            "findings": len(findings),
            "errors": sum(1 for p in problems if p.fatal),
        },
    }
    # Laid out by hand, one finding to a line: json.dumps with indent= runs its pure-Python encoder,
    # which took twice as long as the C one for a few hundred findings.
    lines = ["{"]
    for index, (key, value) in enumerate(data.items()):
        comma = "," if index < len(data) - 1 else ""
        if isinstance(value, list) and value:
            items = [f"    {json.dumps(item, ensure_ascii=False)}" for item in value]
            lines.append(f'  "{key}": [\n' + ",\n".join(items) + f"\n  ]{comma}")
        else:
            lines.append(f'  "{key}": {json.dumps(value, ensure_ascii=False)}{comma}')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _uri(path: str | None) -> str:
    if not path or path == "-":
        return "stdin"
    return quote(path.replace("\\", "/"))


def format_sarif(findings: list[Finding], problems: list[FileProblem], rules: list[Rule]) -> str:
    rule_index = {r.id: i for i, r in enumerate(rules)}
    sarif_rules = []
    for r in rules:
        sarif_rules.append(
            {
                "id": r.id,
                "name": "".join(part.capitalize() for part in r.id.split("-")),
                "shortDescription": {"text": f"Stigmatizing language: {r.id}"},
                "fullDescription": {"text": r.note},
                "help": {
                    "text": f"{r.note} Suggestions: {'; '.join(r.suggestions)}. Source: {r.source}.",
                    "markdown": f"{r.note}\n\n**Suggestions:** {'; '.join(r.suggestions)}\n\n**Source:** "
                    + "; ".join(s.name for s in r.sources),
                },
                "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
                "properties": {"tags": ["language", "stigma"], "source": r.source},
            }
        )
    results = []
    for f in findings:
        result = {
            "ruleId": f.rule,
            "level": _SARIF_LEVEL.get(f.severity, "warning"),
            "message": {"text": f'"{f.text}": consider {" / ".join(f.suggestions)} ({f.source}).'},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(f.file)},
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column,
                            "charOffset": f.start,
                            "charLength": f.end - f.start,
                            "snippet": {"text": f.text},
                        },
                    }
                }
            ],
            "partialFingerprints": {"havenLanguage/v1": f"{f.rule}:{f.text.lower()}:{f.line}"},
        }
        if f.rule in rule_index:
            result["ruleIndex"] = rule_index[f.rule]
        results.append(result)
    notifications = [
        {
            "level": "error" if p.fatal else "note",
            "message": {"text": p.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(p.file)}}}],
        }
        for p in problems
    ]
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": TOOL_NAME, "version": TOOL_VERSION, "rules": sarif_rules}},
                "invocations": [
                    {
                        "executionSuccessful": not any(p.fatal for p in problems),
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"
