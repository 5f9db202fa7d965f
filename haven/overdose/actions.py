"""Every write to overdose reports and detection settings: validated, transactional and audited.

Audit entries name ids, sources and field names, never a report's notes or substances. A public
submission is audited without the request, so not even the audit log learns the address it came
from.
"""

from __future__ import annotations

import datetime
import logging
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core.audit import audit_record
from haven.core.privacy import blind_index
from haven.overdose.models import DetectionSettings, OverdoseReport, PublicSubmission, YesNoUnknown

logger = logging.getLogger(__name__)

MAX_NALOXONE_DOSES = 30
MAX_SUBSTANCES = 10
MAX_SUBSTANCE_LENGTH = 40
MAX_NOTES_LENGTH = 2000
MAX_SAMPLE_LENGTH = 40
# A clock a little ahead (a phone, a partner's server) is not an error; a report days ahead is.
FUTURE_TOLERANCE = datetime.timedelta(hours=1)
PUBLIC_LIMIT_PER_HOUR = 5
PUBLIC_RATE_PURPOSE = "overdose-public-form-address"
KEEP_PUBLIC_SUBMISSIONS = datetime.timedelta(days=1)
STAFF_SOURCES = (OverdoseReport.Source.STAFF,)


# ---------------------------------------------------------------------------------------------
# Names, phone numbers and e-mail addresses in free text
# ---------------------------------------------------------------------------------------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w])\+?\(?\d[\d\s().-]{5,}\d(?![\w])")
DATE_LIKE = re.compile(r"^\d{4}[-.]\d{1,2}[-.]\d{1,2}$|^\d{1,2}[-.]\d{1,2}[-.]\d{2,4}$")
WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Capitalised words that are not names: places, services, substances and naloxone brands, days,
# months, and the words that start a sentence. Area names are added at check time.
ALLOWED_CAPITALISED = frozenset("""
    north south east west northside southside eastside westside downtown uptown midtown river riverside
    park street avenue road square station bridge market centre center hospital clinic pharmacy shelter
    emergency services department room unit ambulance paramedics police fire rescue health public
    naloxone narcan kloxxado zimhi fentanyl carfentanil xylazine tranq nitazene nitazenes heroin cocaine
    crack meth methamphetamine benzo benzos benzodiazepine xanax oxycodone oxy percocet suboxone methadone
    ketamine mdma molly alcohol opioid opioids fent dope pills pressed blue blues
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december today yesterday tonight morning afternoon evening night
    the a an and or but he she they them him her his their it its we our you i this that these those
    there here after before during when then while at in on of to for from with without by near outside
    inside behind called gave given found used took was were is are had has not no yes one two three
    person people someone friend neighbour neighbor staff peer outreach team van drop visit report
""".split())


@dataclass(frozen=True)
class Finding:
    kind: str  # "email", "phone" or "name"
    start: int
    end: int
    text: str

    def describe(self) -> str:
        if self.kind == "email":
            return _("an e-mail address (“%(text)s”)") % {"text": self.text}
        if self.kind == "phone":
            return _("a phone number (“%(text)s”)") % {"text": self.text}
        return _("what looks like a person's name (“%(text)s”)") % {"text": self.text}


def _allowed_words() -> set[str]:
    from haven.places.models import Area

    words = set(ALLOWED_CAPITALISED)
    for name in Area.objects.values_list("name", flat=True):
        words.update(word.lower() for word in WORD.findall(name))
    return words


def personal_details_in(text: str, *, allowed: set[str] | None = None) -> list[Finding]:
    """Names (two capitalised words in a row that are not place or substance words), phone
    numbers and e-mail addresses in `text`, in order. A heuristic: it errs on the side of asking."""
    text = text or ""
    if not text.strip():
        return []
    allowed = _allowed_words() if allowed is None else allowed
    findings = [Finding("email", m.start(), m.end(), m.group()) for m in EMAIL.finditer(text)]
    taken = [(f.start, f.end) for f in findings]

    def free(start, end):
        return all(end <= a or start >= b for a, b in taken)

    for match in PHONE.finditer(text):
        candidate = match.group().strip()
        digits = sum(character.isdigit() for character in candidate)
        if 7 <= digits <= 15 and not DATE_LIKE.match(candidate) and free(match.start(), match.end()):
            findings.append(Finding("phone", match.start(), match.end(), candidate))
            taken.append((match.start(), match.end()))
    words = [m for m in WORD.finditer(text) if free(m.start(), m.end())]
    for first, second in zip(words, words[1:], strict=False):
        between = text[first.end():second.start()]
        if between.strip(" \t") or "\n" in between:
            continue
        pair = (first.group(), second.group())
        if all(word[0].isupper() and not word.isupper() for word in pair) and not any(
                word.lower() in allowed for word in pair):
            findings.append(Finding("name", first.start(), second.end(), f"{pair[0]} {pair[1]}"))
    return sorted(findings, key=lambda finding: finding.start)


def redacted(text: str, findings: Iterable[Finding]) -> str:
    """`text` with every finding replaced by a marker staff can see and keep."""
    marker = _("[removed]")
    out, position = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < position:
            continue
        out.append(text[position:finding.start])
        out.append(marker)
        position = finding.end
    out.append(text[position:])
    return "".join(out)


class PersonalDetailsFound(ValidationError):
    """The notes hold what looks like a name, a phone number or an e-mail address: nothing was saved."""

    def __init__(self, field: str, findings: list[Finding], text: str):
        self.field = field
        self.findings = findings
        self.redacted_text = redacted(text, findings)
        message = _("Remove names and contact details before saving: this text holds %(found)s. Nothing "
                    "was saved. We replaced them with “%(marker)s” below; check the text and save again.") % {
            "found": _(", ").join(finding.describe() for finding in findings), "marker": _("[removed]")}
        super().__init__({field: [message]})


# ---------------------------------------------------------------------------------------------
# Validation shared by every source
# ---------------------------------------------------------------------------------------------

class _Errors:
    def __init__(self):
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def normalise_substances(value) -> list[str]:
    """'Fentanyl, xylazine; pills' or a list -> ['fentanyl', 'xylazine', 'pills'] (order kept, no repeats)."""
    if value is None:
        return []
    parts = re.split(r"[,;\n/]+", value) if isinstance(value, str) else [str(item) for item in value]
    seen: list[str] = []
    for part in parts:
        word = " ".join(part.split()).lower()
        if word and word not in seen:
            seen.append(word)
    return seen


def to_the_hour(moment: datetime.datetime) -> datetime.datetime:
    """Hour precision is all detection needs; less precision is less to identify anyone by."""
    local = timezone.localtime(moment)
    return local.replace(minute=0, second=0, microsecond=0)


def _when(errors: _Errors, occurred_at, *, now) -> datetime.datetime | None:
    if occurred_at is None or occurred_at == "":
        errors.add("occurred_at", _("Enter when it happened."))
        return None
    if isinstance(occurred_at, datetime.date) and not isinstance(occurred_at, datetime.datetime):
        occurred_at = datetime.datetime.combine(occurred_at, datetime.time(12, 0))
    if not isinstance(occurred_at, datetime.datetime):
        errors.add("occurred_at", _("Enter when it happened as a date and time."))
        return None
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > now + FUTURE_TOLERANCE:
        errors.add("occurred_at", _("This is in the future. Check the date and time."))
        return None
    return to_the_hour(occurred_at)


def _check_report_fields(errors: _Errors, *, area, kind, fatal, naloxone_doses, emergency_services_called,
                         substances, source, drug_checking_sample, notes):
    if area is not None and not area.active:
        errors.add("area", _("This area is inactive. Choose an active area."))
    if kind not in OverdoseReport.Kind.values:
        errors.add("kind", _("Choose what happened from the list."))
    if fatal not in YesNoUnknown.values:
        errors.add("fatal", _("Choose yes, no or unknown."))
    if emergency_services_called not in YesNoUnknown.values:
        errors.add("emergency_services_called", _("Choose yes, no or unknown."))
    if source not in OverdoseReport.Source.values:
        errors.add("source", _("Unknown source of the report."))
    if naloxone_doses is not None:
        if not isinstance(naloxone_doses, int) or isinstance(naloxone_doses, bool):
            errors.add("naloxone_doses", _("Enter the naloxone doses as a whole number."))
        elif naloxone_doses < 0:
            errors.add("naloxone_doses", _("Naloxone doses cannot be negative."))
        elif naloxone_doses > MAX_NALOXONE_DOSES:
            errors.add("naloxone_doses", _("More than %(limit)s naloxone doses? Check the number.")
                       % {"limit": MAX_NALOXONE_DOSES})
    if len(substances) > MAX_SUBSTANCES:
        errors.add("substances", _("List at most %(limit)s substances.") % {"limit": MAX_SUBSTANCES})
    if any(len(word) > MAX_SUBSTANCE_LENGTH for word in substances):
        errors.add("substances", _("Keep each substance to %(limit)s characters.") % {"limit": MAX_SUBSTANCE_LENGTH})
    if len(drug_checking_sample) > MAX_SAMPLE_LENGTH:
        errors.add("drug_checking_sample", _("A sample code has at most %(limit)s characters.")
                   % {"limit": MAX_SAMPLE_LENGTH})
    if len(notes) > MAX_NOTES_LENGTH:
        errors.add("notes", _("Keep the notes under %(limit)s characters.") % {"limit": MAX_NOTES_LENGTH})


def _build_report(*, actor, occurred_at, area, kind, fatal, naloxone_doses, emergency_services_called, substances,
                  source, drug_checking_sample, notes, reversal=None, import_key=None, check_notes=True,
                  now=None) -> OverdoseReport:
    """Validate everything and return an unsaved report; raise ValidationError with every problem at once."""
    now = now or timezone.now()
    errors = _Errors()
    substances = normalise_substances(substances)
    notes = (notes or "").strip()
    drug_checking_sample = (drug_checking_sample or "").strip()
    when = _when(errors, occurred_at, now=now)
    _check_report_fields(errors, area=area, kind=kind, fatal=fatal, naloxone_doses=naloxone_doses,
                         emergency_services_called=emergency_services_called, substances=substances,
                         source=source, drug_checking_sample=drug_checking_sample, notes=notes)
    errors.raise_if_any()
    if check_notes:
        allowed = _allowed_words()
        for field, text in (("notes", notes), ("substances", ", ".join(substances))):
            findings = personal_details_in(text, allowed=allowed)
            if findings:
                raise PersonalDetailsFound(field, findings, text)
    return OverdoseReport(
        occurred_at=when, area=area, kind=kind, fatal=fatal, naloxone_doses=naloxone_doses,
        emergency_services_called=emergency_services_called, substances=substances, source=source,
        drug_checking_sample=drug_checking_sample, notes=notes, reversal=reversal, import_key=import_key,
        created_by=actor, created_at=now,
    )


# ---------------------------------------------------------------------------------------------
# Staff reports
# ---------------------------------------------------------------------------------------------

@transaction.atomic
def overdose_report_record(*, actor, occurred_at, area=None, kind=OverdoseReport.Kind.OVERDOSE,
                           fatal=YesNoUnknown.UNKNOWN, naloxone_doses=None,
                           emergency_services_called=YesNoUnknown.UNKNOWN, substances=(),
                           source=OverdoseReport.Source.STAFF, drug_checking_sample="", notes="",
                           request=None) -> OverdoseReport:
    """Record an overdose or bad reaction a staff member witnessed or heard of.

    Raises PersonalDetailsFound (a ValidationError) when the notes hold a name, phone number or
    e-mail address: nothing is saved until the text is redacted.
    """
    if actor is None or not actor.has_role_permission("overdose.report"):
        raise PermissionDenied("overdose.report")
    if source not in STAFF_SOURCES:
        raise ValidationError({"source": [_("Staff reports are witnessed by staff; use the import for partners.")]})
    report = _build_report(actor=actor, occurred_at=occurred_at, area=area, kind=kind, fatal=fatal,
                           naloxone_doses=naloxone_doses, emergency_services_called=emergency_services_called,
                           substances=substances, source=source, drug_checking_sample=drug_checking_sample,
                           notes=notes)
    report.save()
    audit_record(actor=actor, action="create", obj=report, request=request, detail={
        "source": report.source, "area": report.area_id, "notes": bool(report.notes),
        "substances": len(report.substances)})
    return report


# ---------------------------------------------------------------------------------------------
# The public form
# ---------------------------------------------------------------------------------------------

class RateLimited(Exception):
    """Too many reports from one address in the last hour."""


def address_digest(address: str | None) -> str:
    # Keyed (the blind index key is not in the database), so the digest cannot be turned back into
    # an address by trying every IPv4 address.
    return blind_index((address or "unknown").strip().lower(), purpose=PUBLIC_RATE_PURPOSE)


def public_rate_limited(address: str | None, *, now=None) -> bool:
    now = now or timezone.now()
    since = now - datetime.timedelta(hours=1)
    return PublicSubmission.objects.filter(address_digest=address_digest(address), at__gte=since).count() \
        >= PUBLIC_LIMIT_PER_HOUR


@transaction.atomic
def overdose_report_submit_public(*, occurred_at, area=None, kind=OverdoseReport.Kind.OVERDOSE,
                                  fatal=YesNoUnknown.UNKNOWN, naloxone_used=YesNoUnknown.UNKNOWN,
                                  emergency_services_called=YesNoUnknown.UNKNOWN, substances=(), notes="",
                                  address=None) -> OverdoseReport:
    """A report from the public form. The address is used only for the rate limit, as a keyed digest.

    Raises RateLimited, or ValidationError (PersonalDetailsFound for names and contact details).
    """
    now = timezone.now()
    if public_rate_limited(address, now=now):
        raise RateLimited()
    # The public says whether naloxone was used, not how many doses: one or more is "at least 1".
    doses = 1 if naloxone_used == YesNoUnknown.YES else 0 if naloxone_used == YesNoUnknown.NO else None
    report = _build_report(actor=None, occurred_at=occurred_at, area=area, kind=kind, fatal=fatal,
                           naloxone_doses=doses, emergency_services_called=emergency_services_called,
                           substances=substances, source=OverdoseReport.Source.PUBLIC, drug_checking_sample="",
                           notes=notes, now=now)
    report.save()
    PublicSubmission.objects.create(address_digest=address_digest(address), at=now)
    # No request: the audit log would store the address.
    audit_record(actor=None, action="create", obj=report, detail={
        "source": report.source, "area": report.area_id, "notes": bool(report.notes),
        "substances": len(report.substances)})
    return report


@transaction.atomic
def public_submissions_remove_old(*, now=None) -> int:
    cutoff = (now or timezone.now()) - KEEP_PUBLIC_SUBMISSIONS
    deleted, _by_model = PublicSubmission.objects.filter(at__lt=cutoff).delete()
    return deleted


# ---------------------------------------------------------------------------------------------
# Reversals reported at visits
# ---------------------------------------------------------------------------------------------

REVERSAL_FATAL = {"survived": YesNoUnknown.NO, "died": YesNoUnknown.YES, "unknown": YesNoUnknown.UNKNOWN}


@transaction.atomic
def overdose_reports_from_reversals(*, actor=None, request=None) -> int:
    """Turn every reversal reported at a visit that has no overdose report yet into one; return how
    many were made. Safe to run any number of times: the one-to-one link makes each reversal once."""
    from haven.encounters.models import ReversalReport

    pending = (ReversalReport.objects.filter(overdose_report__isnull=True, encounter__voided_at__isnull=True)
               .select_related("encounter__site__area", "area").order_by("pk"))
    created = []
    for reversal in pending:
        encounter = reversal.encounter
        if reversal.occurred_on:
            # The visit's hour on the day the reversal happened: the participant gave the day only.
            visit_time = timezone.localtime(encounter.occurred_at).time()
            occurred_at = timezone.make_aware(datetime.datetime.combine(reversal.occurred_on, visit_time))
            occurred_at = min(occurred_at, encounter.occurred_at)
        else:
            occurred_at = encounter.occurred_at
        report = OverdoseReport(
            occurred_at=to_the_hour(occurred_at), area=reversal.area or encounter.site.area,
            kind=OverdoseReport.Kind.OVERDOSE, fatal=REVERSAL_FATAL.get(reversal.outcome, YesNoUnknown.UNKNOWN),
            naloxone_doses=reversal.naloxone_doses_used,
            emergency_services_called=reversal.emergency_services_called or YesNoUnknown.UNKNOWN,
            source=OverdoseReport.Source.ENCOUNTER, reversal=reversal, created_by=actor,
        )
        try:
            with transaction.atomic():  # another worker may have made this one a moment ago
                report.save()
        except IntegrityError:
            continue
        created.append(report.pk)
    if created:
        audit_record(actor=actor, action="create", object_type="overdose.overdosereport", request=request,
                     detail={"source": "encounter", "reports": created})
    return len(created)


# ---------------------------------------------------------------------------------------------
# Partner import
# ---------------------------------------------------------------------------------------------

@dataclass
class ImportOutcome:
    created: int
    already_imported: int
    skipped_rows: list[int]


@transaction.atomic
def overdose_report_import(*, actor, content: bytes | str, source, skip_bad_rows: bool = False,
                           request=None) -> ImportOutcome:
    """Import a partner's CSV. A file with errors imports nothing unless `skip_bad_rows`; rows
    imported before (same values, same source) are not imported again."""
    from haven.overdose import imports

    if actor is None or not actor.has_role_permission("overdose.import"):
        raise PermissionDenied("overdose.import")
    if source not in OverdoseReport.PARTNER_SOURCES:
        raise ValidationError({"source": [_("Choose who the reports come from.")]})
    check = imports.check_file(content, source=source)
    if check.file_errors or (check.errors and not skip_bad_rows):
        raise ValidationError([error.message() for error in check.errors])
    existing = set(OverdoseReport.objects.filter(import_key__in=[row.key for row in check.rows])
                   .values_list("import_key", flat=True))
    now = timezone.now()
    new = [OverdoseReport(
        occurred_at=row.occurred_at, area=row.area, kind=OverdoseReport.Kind.OVERDOSE, fatal=row.fatal,
        naloxone_doses=row.naloxone_doses, emergency_services_called=row.emergency_services_called,
        substances=row.substances, source=source, import_key=row.key, created_by=actor, created_at=now,
    ) for row in check.rows if row.key not in existing]
    OverdoseReport.objects.bulk_create(new)
    outcome = ImportOutcome(created=len(new), already_imported=len(check.rows) - len(new),
                            skipped_rows=check.bad_rows())
    audit_record(actor=actor, action="create", object_type="overdose.import", request=request, detail={
        "source": source, "created": outcome.created, "already_imported": outcome.already_imported,
        "skipped_rows": outcome.skipped_rows, "file_sha256": check.digest})
    return outcome


# ---------------------------------------------------------------------------------------------
# Detection settings
# ---------------------------------------------------------------------------------------------

SETTINGS_FIELDS = ("enabled", "method", "alpha", "baseline", "threshold")
MIN_BASELINE, MAX_BASELINE = 3, 28
MAX_THRESHOLD = 100


@transaction.atomic
def detection_settings_update(*, actor, request=None, **changes) -> DetectionSettings:
    from haven.overdose.spikes import METHODS

    if actor is None or not actor.has_role_permission("overdose.settings"):
        raise PermissionDenied("overdose.settings")
    unknown = sorted(set(changes) - set(SETTINGS_FIELDS))
    if unknown:
        raise TypeError(f"cannot change {', '.join(unknown)}")
    settings = DetectionSettings.objects.select_for_update().filter(pk=DetectionSettings.SINGLETON_PK).first() \
        or DetectionSettings(pk=DetectionSettings.SINGLETON_PK)
    errors = _Errors()
    method = changes.get("method", settings.method)
    alpha = changes.get("alpha", settings.alpha)
    baseline = changes.get("baseline", settings.baseline)
    threshold = changes.get("threshold", settings.threshold)
    if method not in METHODS:
        errors.add("method", _("Choose a method from the list."))
    if alpha is not None and not (0 < alpha < 0.5):
        errors.add("alpha", _("The significance level must be between 0 and 0.5, such as 0.01."))
    if baseline is None or not MIN_BASELINE <= baseline <= MAX_BASELINE:
        errors.add("baseline", _("The baseline must be between %(low)s and %(high)s days.")
                   % {"low": MIN_BASELINE, "high": MAX_BASELINE})
    if threshold is None or not 1 <= threshold <= MAX_THRESHOLD:
        errors.add("threshold", _("The threshold must be between 1 and %(high)s reports.") % {"high": MAX_THRESHOLD})
    errors.raise_if_any()
    changed = [field for field in SETTINGS_FIELDS if field in changes and getattr(settings, field) != changes[field]]
    if not changed and settings.updated_at is not None:
        return settings
    for field in changed:
        setattr(settings, field, changes[field])
    settings.updated_at = timezone.now()
    settings.updated_by = actor
    settings.save()
    audit_record(actor=actor, action="update", obj=settings, request=request, detail={"fields": changed})
    return settings


# ---------------------------------------------------------------------------------------------
# Demo data
# ---------------------------------------------------------------------------------------------

DEMO_DAYS = 548  # about 18 months
DEMO_BURST_AREA = "Riverside"
DEMO_BURST_DAYS = 2
DEMO_SEED = 20260601
# Reports per day on an ordinary day, by area (Poisson means): plausible for a mid-sized city's
# program, where most days see none in a given neighbourhood.
DEMO_DAILY_MEANS = {"Northside": 0.35, "Eastside": 0.25, "Riverside": 0.2, "Downtown": 0.5}
DEMO_SUBSTANCES = [["fentanyl"], ["fentanyl", "xylazine"], ["heroin"], ["cocaine"], ["fentanyl", "cocaine"],
                   ["pressed pills"], [], []]


def overdose_demo_load(*, today: datetime.date | None = None) -> int:
    """About 18 months of plausible daily reports across the demo areas, with a burst in Riverside over
    the last two days; return how many reports were made. Loading again makes nothing new."""
    from haven.places.models import Area

    areas = {area.name: area for area in Area.objects.filter(name__in=DEMO_DAILY_MEANS)}
    if not areas or OverdoseReport.objects.filter(import_key__startswith="demo:").exists():
        return 0
    today = today or timezone.localdate()
    generator = random.Random(DEMO_SEED)
    sources = [OverdoseReport.Source.EMERGENCY_SERVICES] * 5 + [OverdoseReport.Source.HOSPITAL] * 2 + [
        OverdoseReport.Source.STAFF] * 2 + [OverdoseReport.Source.PUBLIC]
    reports = []
    for offset in range(DEMO_DAYS, -1, -1):
        day = today - datetime.timedelta(days=offset)
        for name, mean in DEMO_DAILY_MEANS.items():
            if name not in areas:
                continue
            burst = name == DEMO_BURST_AREA and offset < DEMO_BURST_DAYS
            count = _poisson(generator, mean) + (5 if burst else 0)
            for number in range(count):
                hour = generator.randrange(24)
                if offset == 0:
                    hour = min(hour, timezone.localtime().hour)  # nothing later than now
                occurred_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
                fatal = YesNoUnknown.YES if generator.random() < 0.08 else YesNoUnknown.NO
                reports.append(OverdoseReport(
                    occurred_at=occurred_at, area=areas[name], kind=OverdoseReport.Kind.OVERDOSE, fatal=fatal,
                    naloxone_doses=generator.choice([1, 1, 2, 2, 3, None]),
                    emergency_services_called=generator.choice([YesNoUnknown.YES, YesNoUnknown.YES, YesNoUnknown.NO,
                                                                YesNoUnknown.UNKNOWN]),
                    substances=["fentanyl", "xylazine"] if burst else generator.choice(DEMO_SUBSTANCES),
                    source=generator.choice(sources), import_key=f"demo:{day.isoformat()}:{name}:{number}",
                ))
    return _demo_save(reports)


@transaction.atomic
def _demo_save(reports) -> int:
    OverdoseReport.objects.bulk_create(reports, batch_size=500)
    audit_record(actor=None, action="create", object_type="overdose.demo", detail={"reports": len(reports)})
    return len(reports)


def _poisson(generator: random.Random, mean: float) -> int:
    # Knuth's method: fine for the small means above.
    import math

    limit, count, product = math.exp(-mean), 0, generator.random()
    while product > limit:
        count += 1
        product *= generator.random()
    return count
