"""Housing funder templates: YAML in the format of haven/reports/templates_yaml (checked by the same
parser, reports.funder_templates.parse_template), with the housing indicators below."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from haven.reports.funder_templates import parse_template

FOLDER = Path(__file__).resolve().parent / "templates_yaml"


@dataclass(frozen=True)
class HousingIndicator:
    key: str
    label: str
    column: str  # the ReportRow attribute
    detail: None = None


INDICATORS = {indicator.key: indicator for indicator in [
    HousingIndicator("people_housed", "People housed (moved in)", "housed"),
    HousingIndicator("median_days_to_move_in", "Median days from needs assessment to move-in", "median_days"),
    HousingIndicator("due_6_months", "People reaching 6 months since move-in", "due_6"),
    HousingIndicator("retained_6_months", "Of them, still housed at 6 months", "retained_6"),
    HousingIndicator("due_12_months", "People reaching 12 months since move-in", "due_12"),
    HousingIndicator("retained_12_months", "Of them, still housed at 12 months", "retained_12"),
    HousingIndicator("beds_offered", "Beds offered (held for a person)", "beds_offered"),
    HousingIndicator("beds_used", "Beds used (the person arrived)", "beds_used"),
]}


def housing_templates():
    return [parse_template(path.read_text(encoding="utf-8"), built_in=True, indicators=INDICATORS)
            for path in sorted(FOLDER.glob("*.yaml"))]


def fill(template, rows) -> list[dict]:
    """Sections of (label, [value per site], total) from suppressed report rows (the last row is the total)."""
    sites, total = rows[:-1], rows[-1]
    sections = []
    for section in template.sections:
        lines = []
        for row in section.rows:
            column = INDICATORS[row.indicator].column
            lines.append({"label": row.label, "values": [getattr(site, column) for site in sites],
                          "total": getattr(total, column)})
        sections.append({"title": section.title, "rows": lines, "sites": [site.site for site in sites]})
    return sections
