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
from django.utils.formats import date_format

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


def matches_threshold(method: str, component: dict) -> bool:
    """Whether a component counts as found: laboratories always; spectrometers at or above the threshold."""
    if method not in findings.SPECTROMETRY_METHODS:
        return True
    score = component.get("match_score")
    if score is None:
        return False
    score = float(score)
    return (score / 100 if score > 1 else score) >= findings.SPECTRUM_MATCH_THRESHOLD


def evidence_from(analyses) -> list[findings.Evidence]:
    evidence = []
    for analysis in analyses:
        if analysis.method == Analysis.Method.STRIP:
            evidence.append(findings.Evidence(findings.STRIP, strip=analysis.strip, result=analysis.strip_result))
        elif analysis.method == Analysis.Method.REAGENT:
            evidence.append(findings.Evidence(findings.REAGENT, possible=reagent_keys(analysis.interpretation)))
        else:
            components = analysis.components or []
            evidence.append(findings.Evidence(
                analysis.method,
                substances=tuple(c["substance"] for c in components if matches_threshold(analysis.method, c)),
                possible=tuple(c["substance"] for c in components if not matches_threshold(analysis.method, c))))
    return evidence


def finding_for(sample, analyses=None) -> findings.Finding:
    analyses = list(analyses_of(sample)) if analyses is None else analyses
    return findings.combine(sample.expected, evidence_from(analyses))


def colour_sequence(colours) -> list[str]:
    """Stored reagent colours as a list, first colour first (rows saved before lists were stored hold text)."""
    if isinstance(colours, str):
        return [part.strip() for part in colours.replace("→", ",").replace("->", ",").split(",") if part.strip()]
    return [str(colour) for colour in colours or ()]


def colour_groups(interpretation: dict, limit: int = 3) -> list[dict]:
    """The best groups of substances the colours fit, for display: names (in the reader's language),
    confidence, what would separate them."""
    from django.utils.translation import get_language, gettext

    from haven.drugchecking.reagents.texts import localized_interpretation
    from haven.drugchecking.reagents.vocabulary import REAGENT_LABELS

    interpretation = localized_interpretation(interpretation or {}, get_language() or "en")
    groups = interpretation.get("groups") or []
    if not groups:  # interpretations saved before groups existed: one group per candidate
        groups = [{"names": [c.get("substance", "")], "keys": [c.get("key", "")], "size": 1,
                   "confidence": c.get("confidence", ""), "separate_with": []}
                  for c in interpretation.get("candidates", [])[:limit]]

    from haven.drugchecking.reagents.cli import CONFIDENCE_WORDS

    confidence = {word: gettext(message) for word, message in CONFIDENCE_WORDS.items()}
    shown = []
    for group in groups[:limit]:
        labels = [REAGENT_LABELS.get(r, r) for r in group.get("separate_with", [])[:3]]
        shown.append({**group, "more": group.get("size", 0) - len(group.get("names", [])),
                      "separate_labels": labels, "separate_text": f" {gettext('or')} ".join(labels),
                      "confidence_label": confidence.get(group.get("confidence", ""), group.get("confidence", ""))})
    return shown


def possible_names(finding, analyses) -> list[str]:
    """What reagent colours fit (the best group of each reagent test) and weak spectrum matches: never "found"."""
    names: list[str] = []
    for analysis in analyses:
        if analysis.method == Analysis.Method.REAGENT:
            groups = colour_groups(analysis.interpretation, limit=1)
            if groups:
                names += groups[0]["names"][:6]
    names += [vocabulary.name_of(key) for key, methods in finding.possible.items() if methods - {findings.REAGENT}]
    found = {d.name for d in finding.detected}
    return [name for name in dict.fromkeys(names) if name and name not in found]


@dataclass
class MethodResult:
    label: str
    found: list  # names a confirming method found ([] when nothing)
    suggested: list  # names it only suggests (reagent colours, weak spectrum matches)
    limits: str  # what this method can miss, in plain words
    note: str = ""  # e.g. "negative"
    notes: list = None  # reagents: what the sources say about the substances suggested, in the reader's language


def participant_methods(sample, analyses=None) -> list[MethodResult]:
    """Per method, what it found and what it could miss: for the participant's result page."""
    analyses = list(analyses_of(sample)) if analyses is None else analyses
    results: list[MethodResult] = []
    for analysis in analyses:
        method = analysis.method
        limits = findings.METHOD_LIMITS.get(method, "")
        if method == Analysis.Method.STRIP:
            strip = strips.STRIPS.get(analysis.strip)
            label = strip.label if strip else analysis.strip
            positive = analysis.strip_result == strips.POSITIVE
            results.append(MethodResult(
                f"{label} strip", [vocabulary.name_of(strip.substance)] if positive and strip else [], [], limits,
                analysis.get_strip_result_display()))
        elif method == Analysis.Method.REAGENT:
            groups = colour_groups(analysis.interpretation, limit=1)
            results.append(MethodResult(str(analysis.get_method_display()), [],
                                        groups[0]["names"][:6] if groups else [], limits,
                                        notes=reagent_notes(analysis.interpretation, groups=1)))
        else:
            components = analysis.components or []
            results.append(MethodResult(
                str(analysis.get_method_display()),
                [vocabulary.name_of(c["substance"]) for c in components if matches_threshold(method, c)],
                [vocabulary.name_of(c["substance"]) for c in components if not matches_threshold(method, c)],
                limits))
    return results


def reagent_notes(interpretation: dict, groups: int = 3) -> list[str]:
    """What the sources say about the substances the colours fit best ("PMA, PMMA: highly toxic ..."),
    in the reader's language: the notes are saved in English and translated by the substance's key."""
    from django.utils.translation import get_language

    from haven.drugchecking.reagents.texts import candidate_notes, localized_interpretation

    shown = localized_interpretation(interpretation or {}, get_language() or "en")
    return [f"{', '.join(names)}: {note}" if names else note for names, note in candidate_notes(shown, groups)]


@dataclass
class AnalysisView:
    analysis: Analysis
    strip: strips.Strip | None
    components: list[dict]
    reagent_rows: list = None  # [(reagent label, [colours])]
    groups: list = None
    cautions: list = None  # what reagents cannot tell, in the reader's language
    notes: list = None  # what the sources say about the substances the colours fit (reagent_notes)
    best_name: str = ""  # the best candidate's name, in the reader's language


def analysis_views(analyses) -> list[AnalysisView]:
    from django.utils.translation import get_language, gettext

    from haven.drugchecking.reagents.engine import localized_cautions
    from haven.drugchecking.reagents.texts import substance_name
    from haven.drugchecking.reagents.vocabulary import REAGENT_LABELS

    language = get_language() or "en"

    REAGENT_ORDER = {key: number for number, key in enumerate(REAGENT_LABELS)}
    views = []
    for analysis in analyses:
        components = [{**component, "name": vocabulary.name_of(component["substance"]),
                       "below_threshold": not matches_threshold(analysis.method, component)}
                      for component in analysis.components]
        # In the reagents' usual order: PostgreSQL's jsonb keeps no key order.
        observed = sorted((analysis.observations or {}).items(), key=lambda item: REAGENT_ORDER.get(item[0], len(REAGENT_ORDER)))
        rows = [(REAGENT_LABELS.get(reagent, reagent), colour_sequence(colours)) for reagent, colours in observed]
        interpretation = analysis.interpretation or {}
        cautions = localized_cautions(interpretation.get("cautions") or [], gettext, language)
        best = (interpretation.get("candidates") or [{}])[0]
        views.append(AnalysisView(analysis, strips.STRIPS.get(analysis.strip), components, rows,
                                  colour_groups(interpretation), cautions, reagent_notes(interpretation),
                                  substance_name(best.get("key", ""), best.get("substance", ""), language)))
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
                         categories=[date_format(month, "YEAR_MONTH_FORMAT") for month in self.months],
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
