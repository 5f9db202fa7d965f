"""Every write to drug checking: intake, tests, review (which drafts alerts), imports, public lookups.

Validated before saving, one transaction each, audited. Audit entries hold ids, methods and field
names: never a sample code (it is not stored at all), a participant code, or free text.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core import ratelimit
from haven.core.audit import audit_record
from haven.core.freetext import describe
from haven.core.privacy import blind_index
from haven.core.screening import screen_personal_details
from haven.drugchecking import codes, findings, rules, strips, vocabulary
from haven.drugchecking.models import CODE_INDEX_PURPOSE, Analysis, Sample
from haven.places.queries import area_name_words

MAX_TEXT = 60
MAX_EFFECTS = 1000
MAX_NOTES = 1000
MAX_PILL_WEIGHT_MG = 5000
ABUNDANCES = ("major", "minor", "trace")
COMPONENT_METHODS = (Analysis.Method.FTIR, Analysis.Method.RAMAN, Analysis.Method.GCMS, Analysis.Method.LCMS,
                     Analysis.Method.NMR)
# Every attempt counts, found or not, so codes cannot be guessed: a few per connection, and a
# ceiling for everyone together against guessing from many addresses. docs/SECURITY.md.
LOOKUP_LIMIT = ratelimit.Limit("drugchecking-public-lookup", per_client=10, overall=600, window=3600)
LOOKUPS_PER_HOUR = LOOKUP_LIMIT.per_client
FUTURE_TOLERANCE = datetime.timedelta(hours=1)


def code_index_for(code: str) -> str:
    return blind_index(codes.normalise(code), purpose=CODE_INDEX_PURPOSE)


def _may_use_site(actor, site) -> bool:
    return actor is None or actor.sees_all_sites or actor.sites.filter(pk=site.pk).exists()


def _expected_key(errors: dict, expected) -> str:
    substance = vocabulary.find(expected or "")
    if substance is None:
        errors["expected"] = [_("“%(text)s” is not in the substance list. Choose the closest one, for example "
                                "“fentanyl” or “MDMA”.") % {"text": expected} if expected else
                              _("Say what it was sold or expected as.")]
        return ""
    return substance.key


def _personal_details(errors: dict, field: str, text: str) -> None:
    found = screen_personal_details(text, allowed_words=area_name_words())
    if found:
        errors[field] = [_("Take out names, phone numbers and e-mail addresses: %(found)s. Nothing was saved.")
                         % {"found": ", ".join(describe(finding, text) for finding in found)}]


# ---------------------------------------------------------------------------------------------
# Intake
# ---------------------------------------------------------------------------------------------

@transaction.atomic
def sample_intake(*, actor, site, expected, form, area=None, colour="", pill_marks="", pill_weight_mg=None,
                  already_used=None, effects="", consent_publish=False, participant=None,
                  received_at=None, request=None) -> tuple[Sample, str]:
    """Take in a sample; (sample, code). The code is returned once and never stored: hand it over now."""
    errors: dict[str, list[str]] = {}
    key = _expected_key(errors, expected)
    if site is None:
        errors["site"] = [_("Choose the site the sample was received at.")]
    elif not _may_use_site(actor, site):
        errors["site"] = [_("You can take in samples only at the sites you work at.")]
    if form not in Sample.Form.values:
        errors["form"] = [_("Choose what the sample looks like.")]
    for name, value in (("colour", colour), ("pill_marks", pill_marks)):
        if len(value or "") > MAX_TEXT:
            errors[name] = [_("Keep this under %(n)s characters.") % {"n": MAX_TEXT}]
    if pill_weight_mg is not None:
        try:
            pill_weight_mg = Decimal(str(pill_weight_mg))
        except InvalidOperation:
            pill_weight_mg = None
            errors["pill_weight_mg"] = [_("Give the weight in milligrams, as a number.")]
        else:
            if not 0 < pill_weight_mg <= MAX_PILL_WEIGHT_MG:
                errors["pill_weight_mg"] = [_("Give the weight in milligrams, between 0 and %(n)s.")
                                            % {"n": MAX_PILL_WEIGHT_MG}]
    effects = (effects or "").strip()
    if len(effects) > MAX_EFFECTS:
        errors["effects"] = [_("Keep this under %(n)s characters.") % {"n": MAX_EFFECTS}]
    elif effects:
        _personal_details(errors, "effects", effects)
    now = timezone.now()
    received_at = received_at or now
    if received_at > now + FUTURE_TOLERANCE:
        errors["received_at"] = [_("This is in the future. Check the date.")]
    if errors:
        raise ValidationError(errors)
    for _attempt in range(5):
        code = codes.new_code()
        sample = Sample(code_index=code_index_for(code), site=site, area=area or getattr(site, "area", None),
                        participant=participant.canonical() if participant else None, received_at=received_at,
                        received_by=actor, expected=key, form=form, colour=(colour or "").strip(),
                        pill_marks=(pill_marks or "").strip(), pill_weight_mg=pill_weight_mg,
                        already_used=already_used, effects=effects, consent_publish=bool(consent_publish))
        try:
            with transaction.atomic():
                sample.save()
        except IntegrityError:  # a 1 in 2^47 collision: draw another code
            continue
        break
    else:  # pragma: no cover - would need five collisions in a row
        raise RuntimeError("could not draw an unused sample code")
    audit_record(actor=actor, action="create", obj=sample, request=request, detail={
        "site": site.pk, "area": sample.area_id, "participant": sample.participant_id,
        "consent_publish": sample.consent_publish, "fields": [name for name, value in (
            ("colour", colour), ("pill_marks", pill_marks), ("pill_weight_mg", pill_weight_mg),
            ("effects", effects)) if value]})
    return sample, code


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------

def _when(errors: dict, performed_at):
    now = timezone.now()
    if performed_at is None:
        return now
    if isinstance(performed_at, datetime.date) and not isinstance(performed_at, datetime.datetime):
        performed_at = datetime.datetime.combine(performed_at, datetime.time(12, 0))
    if timezone.is_naive(performed_at):
        performed_at = timezone.make_aware(performed_at)
    if performed_at > now + FUTURE_TOLERANCE:
        errors["performed_at"] = [_("This is in the future. Check the date.")]
    return performed_at


def _save_analysis(*, actor, sample, analysis: Analysis, request=None) -> Analysis:
    analysis.save()
    # A new result after a review needs a new review before the participant sees it. Asked of the
    # database, not of `sample`, which may have been loaded before the review.
    Sample.objects.filter(pk=sample.pk).exclude(status=Sample.Status.TESTED).update(status=Sample.Status.TESTED)
    sample.status = Sample.Status.TESTED
    audit_record(actor=actor, action="create", obj=analysis, request=request, detail={
        "sample": sample.pk, "method": analysis.method, "strip": analysis.strip,
        "components": len(analysis.components)})
    return analysis


def _common(errors: dict, *, lot, notes):
    if len(lot or "") > MAX_TEXT:
        errors["lot"] = [_("Keep the lot under %(n)s characters.") % {"n": MAX_TEXT}]
    if len(notes or "") > MAX_NOTES:
        errors["notes"] = [_("Keep the notes under %(n)s characters.") % {"n": MAX_NOTES}]
    elif notes:
        _personal_details(errors, "notes", notes)


@transaction.atomic
def strip_record(*, actor, sample, strip, result, lot="", performed_at=None, notes="", request=None) -> Analysis:
    errors: dict[str, list[str]] = {}
    if strip not in strips.STRIPS:
        errors["strip"] = [_("Choose one of the strips: %(names)s.")
                           % {"names": ", ".join(s.label for s in strips.STRIPS.values())}]
    if result not in strips.RESULTS:
        errors["result"] = [_("Choose positive, negative or invalid.")]
    _common(errors, lot=lot, notes=notes)
    performed_at = _when(errors, performed_at)
    if errors:
        raise ValidationError(errors)
    return _save_analysis(actor=actor, sample=sample, request=request, analysis=Analysis(
        sample=sample, method=Analysis.Method.STRIP, strip=strip, strip_result=result, lot=(lot or "").strip(),
        performed_at=performed_at, performed_by=actor, notes=(notes or "").strip()))


def interpret_reagents(observations: dict):
    """The engine's interpretation; ValidationError naming the reagent or colour it does not know."""
    from haven.drugchecking import reagents

    cleaned = {reagent: text for reagent, text in observations.items() if text and str(text).strip()}
    if not cleaned:
        raise ValidationError({"__all__": [_("Record the colours of at least one reagent.")]})
    try:
        return cleaned, reagents.interpret(cleaned)
    except reagents.UnknownReagentError as error:
        raise ValidationError({"__all__": [_("Unknown reagent: %(error)s") % {"error": error}]}) from None
    except reagents.UnknownColourError as error:
        reagent = next((name for name in cleaned if name in str(error)), "__all__")
        raise ValidationError({reagent: [_("Unknown colour: %(error)s. Use the colour words in the list.")
                                         % {"error": error}]}) from None


@transaction.atomic
def reagent_record(*, actor, sample, observations: dict, lot="", performed_at=None, notes="",
                   request=None) -> Analysis:
    errors: dict[str, list[str]] = {}
    _common(errors, lot=lot, notes=notes)
    performed_at = _when(errors, performed_at)
    if errors:
        raise ValidationError(errors)
    _cleaned, result = interpret_reagents(observations)
    # Stored as each reagent's colour sequence, a list, first colour first: {"marquis": ["purple", "black"]}.
    sequences = {reagent: list(colours) for reagent, colours in result.observations.items()}
    return _save_analysis(actor=actor, sample=sample, request=request, analysis=Analysis(
        sample=sample, method=Analysis.Method.REAGENT, observations=sequences, interpretation=result.as_dict(),
        lot=(lot or "").strip(), performed_at=performed_at, performed_by=actor, notes=(notes or "").strip()))


def _number(value, *, low, high):
    if value is None or value == "":
        return None
    try:
        number = float(str(value).strip().rstrip("%"))
    except ValueError:
        raise ValueError("not a number") from None
    if not low <= number <= high:
        raise ValueError("out of range")
    return number


def clean_component(component: dict) -> tuple[dict | None, list[str]]:
    """One component as stored, or the problems with it (in words a person can act on)."""
    problems = []
    text = str(component.get("substance") or "").strip()
    substance = vocabulary.find(text)
    if not text:
        problems.append(_("no substance named"))
    elif substance is None:
        problems.append(_("unknown substance “%(text)s” (not in the substance list; check the spelling or ask a "
                          "coordinator to add it)") % {"text": text})
    try:
        score = _number(component.get("match_score"), low=0, high=100)
        if score is not None and score > 1:
            score = score / 100  # "93" and "0.93" both mean a 93% library match
    except ValueError:
        problems.append(_("match score must be a number from 0 to 1 (or 0 to 100)"))
        score = None
    try:
        percent = _number(component.get("percent"), low=0, high=100)
    except ValueError:
        problems.append(_("percent must be a number from 0 to 100"))
        percent = None
    abundance = str(component.get("abundance") or "").strip().lower()
    if abundance and abundance not in ABUNDANCES:
        problems.append(_("abundance must be major, minor or trace, not “%(text)s”") % {"text": abundance})
    if problems:
        return None, problems
    return {"substance": substance.key, "match_score": score, "percent": percent, "abundance": abundance}, []


@transaction.atomic
def components_record(*, actor, sample, method, components, lot="", performed_at=None, notes="",
                      import_key=None, request=None) -> Analysis:
    """A spectrometry or laboratory result: its components, with match scores, percent or abundance."""
    errors: dict[str, list[str]] = {}
    if method not in COMPONENT_METHODS:
        errors["method"] = [_("Choose FTIR, Raman, GC-MS, LC-MS or NMR.")]
    cleaned, problems = [], []
    for number, component in enumerate(components or (), start=1):
        item, found = clean_component(component)
        if found:
            problems.append(_("Component %(n)s: %(problems)s.") % {"n": number, "problems": "; ".join(found)})
        else:
            cleaned.append(item)
    if problems:
        errors["components"] = problems
    elif not cleaned:
        errors["components"] = [_("Name at least one component found.")]
    _common(errors, lot=lot, notes=notes)
    performed_at = _when(errors, performed_at)
    if errors:
        raise ValidationError(errors)
    return _save_analysis(actor=actor, sample=sample, request=request, analysis=Analysis(
        sample=sample, method=method, components=cleaned, lot=(lot or "").strip(), performed_at=performed_at,
        performed_by=actor, notes=(notes or "").strip(), import_key=import_key))


# ---------------------------------------------------------------------------------------------
# Review, and the alerts it drafts
# ---------------------------------------------------------------------------------------------

def expected_dose(sample: Sample, analyses) -> Decimal | None:
    if sample.form != Sample.Form.PILL or not sample.pill_weight_mg:
        return None
    percents = [component["percent"] for analysis in analyses for component in analysis.components
                if component.get("percent") is not None
                and findings.meets_expectation(sample.expected, component["substance"])]
    if not percents:
        return None
    return (sample.pill_weight_mg * Decimal(str(max(percents))) / 100).quantize(Decimal("0.1"))


@transaction.atomic
def sample_review(*, actor, sample, advice, classification=None, request=None) -> tuple[Sample, list]:
    """Review a tested sample: its finding and the advice the participant will see; (sample, alerts drafted).

    Alerts are drafted only from samples whose participant agreed to publish the de-identified result."""
    from haven.drugchecking import queries

    sample = Sample.objects.select_for_update(of=("self",)).select_related("area").get(pk=sample.pk)
    analyses = list(sample.analyses.all())
    errors: dict[str, list[str]] = {}
    if not analyses:
        errors["__all__"] = [_("Record at least one test before reviewing.")]
    advice = (advice or "").strip()
    if not advice:
        errors["advice"] = [_("Write the advice the participant will see.")]
    elif len(advice) > 4000:
        errors["advice"] = [_("Keep the advice under 4000 characters.")]
    testers = {analysis.performed_by_id for analysis in analyses if analysis.performed_by_id}
    self_review = actor is not None and actor.pk in testers
    if self_review and not getattr(settings, "HAVEN_DRUGCHECKING_SELF_REVIEW", False):
        errors["__all__"] = [_("You recorded a test of this sample, so someone else must review and release "
                               "its result (four eyes). A one-person service can allow this in its settings "
                               "(HAVEN_DRUGCHECKING_SELF_REVIEW).")]
    finding = queries.finding_for(sample, analyses)
    if classification and classification not in Sample.Classification.values:
        errors["classification"] = [_("Choose one of the findings.")]
    if errors:
        raise ValidationError(errors)
    sample.classification = classification or finding.classification
    sample.found = finding.keys
    sample.advice = advice
    sample.expected_dose_mg = expected_dose(sample, analyses)
    sample.status = Sample.Status.REVIEWED
    sample.reviewed_at = timezone.now()
    sample.reviewed_by = actor
    sample.save()
    audit_record(actor=actor, action="review", obj=sample, request=request, detail={
        "classification": sample.classification, "computed": finding.classification,
        "contradictions": len(finding.contradictions), "tested_by": sorted(testers),
        "self_review": self_review})
    drafted = alerts_draft_for(sample=sample, finding=finding, actor=actor) if sample.consent_publish else []
    return sample, drafted


def alerts_draft_for(*, sample, finding, actor=None) -> list:
    """Draft (or add to) one alert per notable finding (rule, substance, sold-as) waiting for review;
    a finding reviewed already drafts again at most once a month."""
    from haven.alerts.actions import alert_draft
    from haven.alerts.models import Alert

    earlier = Sample.objects.filter(status=Sample.Status.REVIEWED, consent_publish=True).exclude(pk=sample.pk)
    seen_before = {key for keys in earlier.values_list("found", flat=True) for key in keys}
    earlier_doses = [float(dose) for dose in earlier.filter(
        form=Sample.Form.PILL, expected=sample.expected, expected_dose_mg__isnull=False,
    ).values_list("expected_dose_mg", flat=True)]
    month = timezone.localtime(sample.received_at).strftime("%Y-%m")
    drafted = []
    for item in rules.notable(finding, form=sample.form, area_name=sample.area.name if sample.area else "",
                              seen_before=seen_before,
                              dose_mg=float(sample.expected_dose_mg) if sample.expected_dose_mg else None,
                              earlier_doses_mg=earlier_doses):
        # One draft per finding (rule, substance, sold-as): while a draft waits for review, a sample
        # from another area or month adds itself to it instead of making a duplicate for reviewers
        # to compare. Once reviewed, the finding drafts again in a new month.
        finding_key = f"{item.rule}:{item.substance}:{sample.expected}"
        existing = (Alert.objects.filter(source_kind="drug_checking", status=Alert.Status.DRAFT,
                                         source_key__startswith=f"{finding_key}:").order_by("-created_at").first()
                    or Alert.objects.filter(source_kind="drug_checking", source_key=f"{finding_key}:{month}").first())
        source_key = existing.source_key if existing else f"{finding_key}:{month}"
        samples = sorted({*(existing.context.get("samples", []) if existing else []), sample.pk})
        # For reviewers only: sample numbers (never codes), the rule, what was found by which method.
        context = {"rule": item.rule, "month": month, "sold_as": vocabulary.name_of(sample.expected),
                   "samples": samples, "found": {d.name: sorted(d.methods) for d in finding.detected},
                   "contradictions": len(finding.contradictions)}
        alert, _created = alert_draft(
            source_kind="drug_checking", source_key=source_key, title=item.title, body=item.body,
            severity=item.severity, context=context, areas=[sample.area] if sample.area else [],
            substances=item.substances, actor=actor)
        drafted.append(alert)
    return drafted


# ---------------------------------------------------------------------------------------------
# The public lookup
# ---------------------------------------------------------------------------------------------

def result_lookup(*, code, client: str | None) -> Sample | None:
    """The reviewed sample for a typed code, or None (unknown, not reviewed yet, or mistyped: one answer).

    `client` is `ratelimit.client_of(request)`. Every attempt counts towards the limits, found or
    not, so codes cannot be guessed; raises ratelimit.RateLimited past them."""
    ratelimit.take(LOOKUP_LIMIT, client=client)
    try:
        index = code_index_for(code)
    except codes.BadSampleCode:
        return None
    return Sample.objects.filter(code_index=index, status=Sample.Status.REVIEWED).first()


# ---------------------------------------------------------------------------------------------
# Demo data
# ---------------------------------------------------------------------------------------------

DEMO_SAMPLES = [
    # (sold as, form, what the tests find: strips and FTIR components), most common first.
    ("mdma", "crystal", [], ["mdma"]),
    ("mdma", "pill", [], ["mdma", "caffeine"]),
    ("cocaine", "powder", [], ["cocaine", "levamisole"]),
    ("fentanyl", "powder", [("fentanyl", "positive"), ("xylazine", "positive")], ["fentanyl", "xylazine",
                                                                                 "mannitol"]),
    ("heroin", "powder", [("fentanyl", "positive")], ["fentanyl", "caffeine"]),
    ("methamphetamine", "crystal", [("fentanyl", "negative")], ["methamphetamine"]),
    ("ketamine", "powder", [], ["ketamine"]),
    ("alprazolam", "pill", [("benzodiazepines", "positive")], ["bromazolam"]),
    ("mdma", "pill", [("fentanyl", "positive")], ["mdma"]),
]


@transaction.atomic
def drugchecking_demo_load(*, today: datetime.date | None = None, count: int = 60) -> int:
    """Six months of reviewed samples at the demo sites, once (does nothing when samples exist)."""
    import random

    from haven.drugchecking import queries
    from haven.places.models import Site

    if Sample.objects.exists():
        return 0
    sites = list(Site.objects.filter(active=True).order_by("pk"))
    if not sites:
        return 0
    rng = random.Random(2026)
    now = timezone.now() if today is None else timezone.make_aware(
        datetime.datetime.combine(today, datetime.time(12)))
    weights = [30, 12, 14, 10, 8, 8, 5, 4, 2]
    for number in range(count):
        expected, form, strip_results, components = rng.choices(DEMO_SAMPLES, weights=weights)[0]
        site = rng.choice(sites)
        received_at = now - datetime.timedelta(days=rng.randint(0, 180), hours=rng.randint(0, 8))
        sample, _code = sample_intake(actor=None, site=site, expected=expected, form=form,
                                      consent_publish=rng.random() < 0.85, received_at=received_at)
        for strip, result in strip_results:
            strip_record(actor=None, sample=sample, strip=strip, result=result, lot="DEMO-LOT",
                         performed_at=received_at)
        components_record(actor=None, sample=sample, method="ftir", performed_at=received_at,
                          components=[{"substance": key, "match_score": round(rng.uniform(0.8, 0.97), 2)}
                                      for key in components])
        if number % 10 != 0:  # a few wait for review
            finding = queries.finding_for(sample)
            sample_review(actor=None, sample=sample,
                          advice=findings.advice_text(findings.draft_advice(finding)) or "- Start with a small amount.")
    return count
