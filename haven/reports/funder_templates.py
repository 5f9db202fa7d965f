"""Funder templates: YAML that maps indicators to a funder's rows and columns, with a period rule.

Plain Python (PyYAML, no Django), so a template can be checked anywhere. A template is refused as
a whole with messages that name the line and the indicator at fault; docs/REPORTS.md shows the
format. The shipped templates are in `templates_yaml/`; coordinators add theirs in the UI (stored
in `ReportTemplate`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from haven.reports.indicators import BY_KEY
from haven.reports.periods import FISCAL_YEAR, RULES

BUILT_IN_FOLDER = Path(__file__).resolve().parent / "templates_yaml"
COLUMNS = ("total", "site", "mode", "month")
MAX_YAML_CHARS = 50_000
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,58}[a-z0-9]")
TOP_KEYS = {"slug", "name", "description", "period", "fiscal_year_starts", "columns", "sections"}
SECTION_KEYS = {"title", "rows"}
ROW_KEYS = {"indicator", "label", "detail"}


class TemplateError(ValueError):
    """Every problem found, each naming its line."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class TemplateRow:
    indicator: str
    label: str
    detail: bool


@dataclass(frozen=True)
class TemplateSection:
    title: str
    rows: tuple[TemplateRow, ...]


@dataclass(frozen=True)
class FunderTemplate:
    slug: str
    name: str
    description: str
    period: str
    fiscal_year_starts: int
    columns: str
    sections: tuple[TemplateSection, ...]
    source: str  # the YAML text
    built_in: bool = False

    @property
    def by(self) -> tuple[str, ...]:
        return () if self.columns == "total" else (self.columns,)


def _line(node) -> int:
    return node.start_mark.line + 1


def _mapping(node, what: str, problems: list[str]) -> dict | None:
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"Line {_line(node)}: {what} must be a list of “key: value” lines.")
        return None
    found = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        found[key] = (key_node, value_node)
    return found


def _text(entry, key: str, problems: list[str], *, required=True, default="", limit=200) -> str:
    if key not in entry:
        if required:
            problems.append(f"“{key}” is missing.")
        return default
    key_node, node = entry[key]
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        problems.append(f"Line {_line(node)}: “{key}” needs a value.")
        return default
    value = str(node.value).strip()
    if len(value) > limit:
        problems.append(f"Line {_line(node)}: “{key}” is longer than {limit} characters.")
    return value


def _unknown_keys(entry, allowed: set[str], where: str, problems: list[str]) -> None:
    for key, (key_node, _value) in entry.items():
        if key not in allowed:
            problems.append(f"Line {_line(key_node)}: unknown key “{key}” in {where} (allowed: "
                            f"{', '.join(sorted(allowed))}).")


def parse_template(text: str, *, built_in: bool = False, indicators=None) -> FunderTemplate:
    """The template in `text`, or TemplateError listing every problem with its line.

    `indicators` (key -> object with .label and .detail) lets another app check its own template in the
    same format (haven/housing); the default is the program indicators of indicators.py."""
    if not text or not text.strip():
        raise TemplateError(["The template is empty. Paste or upload a YAML template."])
    if len(text) > MAX_YAML_CHARS:
        raise TemplateError([f"The template is longer than {MAX_YAML_CHARS:,} characters."])
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"Line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise TemplateError([f"{where}this is not valid YAML ({error.problem or error.context})."]) from None
    except yaml.YAMLError as error:
        raise TemplateError([f"This is not valid YAML ({error})."]) from None
    problems: list[str] = []
    top = _mapping(root, "The template", problems) if root is not None else None
    if top is None:
        raise TemplateError(problems or ["The template is empty."])
    _unknown_keys(top, TOP_KEYS, "the template", problems)
    slug = _text(top, "slug", problems)
    if slug and not SLUG.fullmatch(slug):
        problems.append(f"Line {_line(top['slug'][1])}: the slug “{slug}” may use only lower-case letters, "
                        "digits and hyphens (3 to 60 characters).")
    name = _text(top, "name", problems)
    description = _text(top, "description", problems, required=False, limit=500)
    period = _text(top, "period", problems)
    if period and period not in RULES:
        problems.append(f"Line {_line(top['period'][1])}: unknown period “{period}” (use one of "
                        f"{', '.join(RULES)}).")
    starts = 7
    if "fiscal_year_starts" in top:
        raw = _text(top, "fiscal_year_starts", problems)
        node = top["fiscal_year_starts"][1]
        if period != FISCAL_YEAR:
            problems.append(f"Line {_line(node)}: “fiscal_year_starts” applies only to period: fiscal_year.")
        elif not raw.isdigit() or not 1 <= int(raw) <= 12:
            problems.append(f"Line {_line(node)}: “fiscal_year_starts” is the month number the fiscal year "
                            "starts in, 1 to 12.")
        else:
            starts = int(raw)
    columns = _text(top, "columns", problems, required=False, default="total")
    if columns not in COLUMNS:
        problems.append(f"Line {_line(top['columns'][1])}: unknown columns “{columns}” (use one of "
                        f"{', '.join(COLUMNS)}).")
    sections: list[TemplateSection] = []
    if "sections" not in top:
        problems.append("“sections” is missing: a template needs at least one section with rows.")
    else:
        node = top["sections"][1]
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            problems.append(f"Line {_line(node)}: “sections” must be a list of sections (“- title: …”).")
        else:
            for section_node in node.value:
                section = _section(section_node, problems, indicators or BY_KEY)
                if section is not None:
                    sections.append(section)
    if problems:
        raise TemplateError(problems)
    return FunderTemplate(slug=slug, name=name, description=description, period=period,
                          fiscal_year_starts=starts, columns=columns, sections=tuple(sections), source=text,
                          built_in=built_in)


def _section(node, problems: list[str], known=BY_KEY) -> TemplateSection | None:
    entry = _mapping(node, "A section", problems)
    if entry is None:
        return None
    _unknown_keys(entry, SECTION_KEYS, "a section", problems)
    title = _text(entry, "title", problems)
    rows: list[TemplateRow] = []
    if "rows" not in entry:
        problems.append(f"Line {_line(node)}: the section “{title}” has no “rows”.")
        return None
    rows_node = entry["rows"][1]
    if not isinstance(rows_node, yaml.SequenceNode) or not rows_node.value:
        problems.append(f"Line {_line(rows_node)}: “rows” must be a list (“- indicator: …”).")
        return None
    for row_node in rows_node.value:
        row = _mapping(row_node, "A row", problems)
        if row is None:
            continue
        _unknown_keys(row, ROW_KEYS, "a row", problems)
        if "indicator" not in row:
            problems.append(f"Line {_line(row_node)}: this row has no “indicator”.")
            continue
        key = _text(row, "indicator", problems)
        if key and key not in known:
            close = [name for name in known if key.split("_")[0] in name]
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            problems.append(f"Line {_line(row['indicator'][1])}: unknown indicator “{key}”.{hint} "
                            "The indicators are listed in docs/INDICATORS.md.")
            continue
        detail = False
        if "detail" in row:
            value_node = row["detail"][1]
            value = str(getattr(value_node, "value", "")).lower()
            if value not in ("true", "false", "yes", "no"):
                problems.append(f"Line {_line(value_node)}: “detail” is true or false.")
            detail = value in ("true", "yes")
            if detail and key and known[key].detail is None:
                problems.append(f"Line {_line(value_node)}: the indicator “{key}” has no detail rows.")
        label = _text(row, "label", problems, required=False, default=known[key].label if key else "")
        rows.append(TemplateRow(indicator=key, label=label, detail=detail))
    return TemplateSection(title=title, rows=tuple(rows))


def built_in_templates() -> list[FunderTemplate]:
    return [parse_template(path.read_text(encoding="utf-8"), built_in=True)
            for path in sorted(BUILT_IN_FOLDER.glob("*.yaml"))]
