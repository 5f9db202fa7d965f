"""The HMIS CSV export: records of participants who consent, and only those.

Builds the rows from the database and hands them to hmis.py (plain Python) for the CSV text and the
validation report. A participant whose consent was withdrawn, or who never gave it, is left out, and
the report says how many and who (by display id, inside the program).
"""

from __future__ import annotations

import datetime
import io
import zipfile

from django.utils import timezone

from haven.core.privacy import blind_index
from haven.housing import hmis
from haven.housing.models import BedHold, HmisConsent, HousingStatus, Journey

ORGANIZATION_ID = "HAVEN"
# Project type "Services Only" and the Bed Night record: the validator checks these against the imported lists.
PROJECT_TYPE_SERVICES_ONLY = 6
BED_NIGHT = 200
NOT_COLLECTED = 99
PREFERS_NOT_TO_ANSWER = 9
RACE_COLUMNS = ["AmIndAKNative", "Asian", "BlackAfAmerican", "HispanicLatinao", "MidEastNAfrican", "NativeHIPacific",
                "White"]


def personal_id(participant) -> str:
    """A stable pseudonym for the HMIS: a keyed hash of Haven's row id, never the person's code."""
    return blind_index(str(participant.pk), purpose="hmis-personal-id")[:32]


def _stamp(row, created, user_id, export_id):
    row.update({"DateCreated": created, "DateUpdated": created, "UserID": user_id, "ExportID": export_id})
    return row


def build_export(*, actor, site=None) -> tuple[dict[str, str], hmis.Report]:
    """file name -> CSV text, and the validation report (with who was left out and why)."""
    now = timezone.localtime().replace(microsecond=0, tzinfo=None)
    export_id = now.strftime("%Y%m%d%H%M%S")
    user_id = f"U{actor.pk}" if actor else "HAVEN"
    journeys = Journey.objects.select_related("participant", "site").order_by("pk")
    if site is not None:
        journeys = journeys.filter(site=site)
    journeys = list(journeys)
    in_force = {consent.participant_id: consent for consent in
                HmisConsent.objects.filter(withdrawn_at__isnull=True,
                                           participant_id__in={j.participant_id for j in journeys})}
    withdrawn = set(HmisConsent.objects.filter(withdrawn_at__isnull=False).values_list("participant_id", flat=True))
    report = hmis.Report(version=hmis.spec()["version"])
    left_out = {"consent withdrawn": set(), "no consent": set()}
    kept = []
    for journey in journeys:
        if journey.participant_id in in_force:
            kept.append(journey)
        else:
            reason = "consent withdrawn" if journey.participant_id in withdrawn else "no consent"
            left_out[reason].add(journey.participant.display_id)
    report.left_out = {reason: sorted(ids) for reason, ids in left_out.items()}

    rows = {name: [] for name in hmis.EXPORT_FILES}
    statuses = {}
    for status in HousingStatus.objects.filter(participant_id__in={j.participant_id for j in kept}).order_by(
            "information_date", "pk"):
        statuses.setdefault(status.participant_id, []).append(status)
    sites = {}
    for journey in kept:
        pid = personal_id(journey.participant)
        entry = journey.assessed_on or timezone.localdate(journey.started_at)
        sites.setdefault(journey.site_id, (journey.site, entry))
        if entry < sites[journey.site_id][1]:
            sites[journey.site_id] = (journey.site, entry)
        person_statuses = statuses.get(journey.participant_id, [])
        prior = next((s for s in person_statuses if s.kind == HousingStatus.Kind.PRIOR), None)
        enrollment_id = f"E{journey.pk}"
        rows["Enrollment"].append(_stamp({
            "EnrollmentID": enrollment_id, "PersonalID": pid, "ProjectID": f"P{journey.site_id}", "EntryDate": entry,
            "HouseholdID": f"H{journey.pk}", "RelationshipToHoH": 1,
            "LivingSituation": prior.living_situation if prior else NOT_COLLECTED,
            "LengthOfStay": prior.length_of_stay if prior and prior.length_of_stay else NOT_COLLECTED,
            "DisablingCondition": NOT_COLLECTED, "MoveInDate": journey.moved_in_on,
        }, journey.started_at.replace(microsecond=0, tzinfo=None), user_id, export_id))
        exit_date = journey.closed_on or journey.lost_on
        for status in person_statuses:
            if status.kind == HousingStatus.Kind.CURRENT and status.information_date >= entry and (
                    exit_date is None or status.information_date <= exit_date):
                rows["CurrentLivingSituation"].append(_stamp({
                    "CurrentLivingSitID": f"C{status.pk}", "EnrollmentID": enrollment_id, "PersonalID": pid,
                    "InformationDate": status.information_date, "CurrentLivingSituation": status.living_situation,
                }, timezone.localtime(status.recorded_at).replace(microsecond=0, tzinfo=None), user_id, export_id))
        if exit_date is not None:
            rows["Exit"].append(_stamp({
                "ExitID": f"X{journey.pk}", "EnrollmentID": enrollment_id, "PersonalID": pid, "ExitDate": exit_date,
                "Destination": journey.destination or NOT_COLLECTED,
            }, datetime.datetime.combine(exit_date, datetime.time()), user_id, export_id))
        for hold in BedHold.objects.filter(participant_id=journey.participant_id, outcome=BedHold.Outcome.USED,
                                           ended_at__date__gte=entry).order_by("pk"):
            rows["Services"].append(_stamp({
                "ServicesID": f"S{hold.pk}", "EnrollmentID": enrollment_id, "PersonalID": pid,
                "DateProvided": timezone.localdate(hold.ended_at), "RecordType": BED_NIGHT, "TypeProvided": BED_NIGHT,
            }, timezone.localtime(hold.ended_at).replace(microsecond=0, tzinfo=None), user_id, export_id))
    for participant_id in dict.fromkeys(j.participant_id for j in kept):
        consent = in_force[participant_id]
        given = consent.identifiers or {}
        names = [given.get("FirstName"), given.get("LastName")]
        name_quality = 1 if all(names) else 2 if any(names) else PREFERS_NOT_TO_ANSWER
        participant = next(j.participant for j in kept if j.participant_id == participant_id)
        client = {"PersonalID": personal_id(participant), "FirstName": given.get("FirstName"),
                  "LastName": given.get("LastName"), "NameDataQuality": name_quality,
                  "SSNDataQuality": PREFERS_NOT_TO_ANSWER, "DOB": given.get("DOB"),
                  "DOBDataQuality": 1 if given.get("DOB") else PREFERS_NOT_TO_ANSWER,
                  "RaceNone": NOT_COLLECTED, "VeteranStatus": NOT_COLLECTED, "Sex": NOT_COLLECTED}
        client.update(dict.fromkeys(RACE_COLUMNS, 0))
        rows["Client"].append(_stamp(client, timezone.localtime(consent.given_at).replace(microsecond=0, tzinfo=None),
                                     user_id, export_id))
    for site_id, (found_site, start) in sorted(sites.items()):
        rows["Project"].append(_stamp({
            "ProjectID": f"P{site_id}", "OrganizationID": ORGANIZATION_ID,
            "ProjectName": f"{found_site.name} housing navigation"[:200], "OperatingStartDate": start,
            "ContinuumProject": 0, "ProjectType": PROJECT_TYPE_SERVICES_ONLY,
        }, now, user_id, export_id))
    texts = {name: hmis.to_csv(name, rows[name]) for name in hmis.EXPORT_FILES}
    hmis.validate(texts, report=report)
    return texts, report


def export_zip(texts: dict[str, str], report: hmis.Report) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in texts.items():
            archive.writestr(f"{name}.csv", text)
        archive.writestr("validation_report.txt", report.as_text())
    return buffer.getvalue()
