"""Reads that the drug checking pages, the API and the public views share.

Staff and peers see the samples of the sites they work at; coordinators and admins see all.
Public outputs count only reviewed samples whose participant agreed to publish.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from haven.drugchecking import findings, strips, vocabulary
from haven.drugchecking.models import Analysis, Sample

REAGENT_CONFIDENCE_COUNTED = ("strong", "moderate")


def visible_samples(user):
    samples = Sample.objects.select_related("site", "area").annotate(analysis_count=Count("analyses")).order_by(
        "-received_at", "-pk")
    if user is not None and not user.sees_all_sites:
        samples = samples.filter(site__in=user.sites.values("pk"))
    return samples


def sample_for(user, sample_id) -> Sample:
    """The sample if this person may see it; Sample.DoesNotExist otherwise (the view answers 404)."""
    return visible_samples(user).select_related("received_by", "reviewed_by", "participant").get(pk=sample_id)


def analyses_of(sample):
    return sample.analyses.select_related("performed_by").order_by("performed_at", "pk")


def reagent_keys(interpretation: dict) -> tuple[str, ...]:
    """The vocabulary key of the engine's best candidate, when it is confident enough to count."""
    candidates = (interpretation or {}).get("candidates") or []
    if not candidates or candidates[0].get("confidence") not in REAGENT_CONFIDENCE_COUNTED:
        return ()
    best = candidates[0]
    substance = vocabulary.find(best.get("key", "")) or vocabulary.find(best.get("substance", ""))
    return (substance.key if substance else best.get("key", ""),)


def evidence_from(analyses) -> list[findings.Evidence]:
    evidence = []
    for analysis in analyses:
        if analysis.method == Analysis.Method.STRIP:
            evidence.append(findings.Evidence(findings.STRIP, strip=analysis.strip, result=analysis.strip_result))
        elif analysis.method == Analysis.Method.REAGENT:
            evidence.append(findings.Evidence(findings.REAGENT, substances=reagent_keys(analysis.interpretation)))
        else:
            evidence.append(findings.Evidence(analysis.method, substances=tuple(
                component["substance"] for component in analysis.components)))
    return evidence


def finding_for(sample, analyses=None) -> findings.Finding:
    analyses = list(analyses_of(sample)) if analyses is None else analyses
    return findings.combine(sample.expected, evidence_from(analyses))


@dataclass
class AnalysisView:
    analysis: Analysis
    strip: strips.Strip | None
    components: list[dict]


def analysis_views(analyses) -> list[AnalysisView]:
    views = []
    for analysis in analyses:
        components = [{**component, "name": vocabulary.name_of(component["substance"])}
                      for component in analysis.components]
        views.append(AnalysisView(analysis, strips.STRIPS.get(analysis.strip), components))
    return views


def samples_needing_review(user):
    return visible_samples(user).filter(status=Sample.Status.TESTED)


# ---------------------------------------------------------------------------------------------
# The public drug market view
# ---------------------------------------------------------------------------------------------

MARKET_MONTHS = 6


def month_starts(today: datetime.date, months: int = MARKET_MONTHS) -> list[datetime.date]:
    first = today.replace(day=1)
    starts = []
    for _ in range(months):
        starts.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(starts))


@dataclass
class MarketTable:
    expected: str
    expected_name: str
    months: list[datetime.date]
    rows: list[tuple]  # (substance name, displayed counts per month, displayed row total)
    row_totals: list
    column_totals: list
    grand_total: object
    suppressed: bool  # nothing could be published safely

    def svg(self) -> str:
        """Grouped bars, one series per substance found; hidden cells are drawn as hidden, never as heights."""
        from django.utils.translation import gettext as _

        from haven.reports.charts import Series, bar_chart

        return bar_chart(title=_("Samples sold as %(name)s: substances found per month") % {"name": self.expected_name},
                         categories=[month.strftime("%b %Y") for month in self.months],
                         series=[Series(name, list(cells)) for name, cells, _total in self.rows][:8],
                         y_label=_("Samples"), chart_id=f"chart-{self.expected}")


def market_tables(*, today: datetime.date | None = None, months: int = MARKET_MONTHS, policy=None) -> list[MarketTable]:
    """Per substance sold as: how many samples held each substance found, per month, small cells suppressed.

    A sample with two substances counts in two rows, so row counts do not add up to samples; the
    totals shown are the suppression engine's margins of this table."""
    from haven.reports.suppression import DEFAULT_POLICY, SuppressionError, suppress_table

    policy = policy or DEFAULT_POLICY
    today = today or timezone.localdate()
    starts = month_starts(today, months)
    since = timezone.make_aware(datetime.datetime.combine(starts[0], datetime.time()))
    counts: dict[str, Counter] = defaultdict(Counter)
    samples = Sample.objects.filter(status=Sample.Status.REVIEWED, consent_publish=True, received_at__gte=since)
    for expected, found, received_at in samples.values_list("expected", "found", "received_at"):
        month = timezone.localtime(received_at).date().replace(day=1)
        for key in found or ["(nothing identified)"]:
            counts[expected][(key, month)] += 1
    tables = []
    for expected in sorted(counts, key=lambda key: vocabulary.name_of(key).casefold()):
        keys = sorted({key for key, _month in counts[expected]}, key=lambda key: vocabulary.name_of(key).casefold())
        rows = [[counts[expected][(key, month)] for month in starts] for key in keys]
        names = [vocabulary.name_of(key) for key in keys]
        try:
            result = suppress_table(rows, policy=policy)
        except SuppressionError:
            tables.append(MarketTable(expected, vocabulary.name_of(expected), starts, [], [], [], None, True))
            continue
        tables.append(MarketTable(
            expected, vocabulary.name_of(expected), starts,
            list(zip(names, result.display_rows(), [outcome.display for outcome in result.row_totals], strict=True)),
            [outcome.display for outcome in result.row_totals],
            [outcome.display for outcome in result.column_totals],
            result.grand_total.display, False))
    return tables
