"""The HMIS CSV export carries consenting participants only, with only the identifiers they agreed to
give, and passes validation against the FY2026 CSV specification's columns and value lists."""

import csv
import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.housing import actions, export, hmis
from haven.housing.hmis_spec import build

TODAY = timezone.localdate()


@pytest.fixture
def two_people(bob, dana, participant, other_participant, places):
    """Both housed; the first consents with a first name only, the second consented and then withdrew."""
    for person in (participant, other_participant):
        actions.status_record(actor=bob, participant=person, kind="prior", living_situation=116, length_of_stay=5,
                              information_date=TODAY - datetime.timedelta(days=90))
        journey = actions.journey_start(actor=bob, participant=person, site=places["fixed"],
                                        assessed_on=TODAY - datetime.timedelta(days=90))
        actions.status_record(actor=bob, participant=person, kind="current", living_situation=101,
                              information_date=TODAY - datetime.timedelta(days=60))
        actions.move_in(actor=bob, journey=journey, on=TODAY - datetime.timedelta(days=30))
    actions.hmis_consent_give(actor=dana, participant=participant, identifiers={"FirstName": "Marisol"})
    actions.hmis_consent_give(actor=dana, participant=other_participant, identifiers={"FirstName": "Jo", "LastName": "K"})
    actions.hmis_consent_withdraw(actor=dana, participant=other_participant)
    return participant, other_participant


def rows(texts, name):
    return list(csv.DictReader(io.StringIO(texts[name])))


def test_export_carries_only_consenting_people_and_passes_validation(dana, two_people):
    consenting, withdrawn = two_people
    texts, report = export.build_export(actor=dana)
    assert report.ok, report.problems
    clients = rows(texts, "Client")
    assert [client["PersonalID"] for client in clients] == [export.personal_id(consenting)]
    assert clients[0]["FirstName"] == "Marisol" and clients[0]["LastName"] == "" and clients[0]["DOB"] == ""
    assert clients[0]["NameDataQuality"] == "2"  # partial: only the first name was agreed
    assert {row["PersonalID"] for name in ("Enrollment", "CurrentLivingSituation") for row in rows(texts, name)} == {
        export.personal_id(consenting)}
    assert report.left_out["consent withdrawn"] == [withdrawn.display_id]
    assert "Left out (consent withdrawn): 1" in report.as_text()


def test_headers_are_the_specifications_columns_in_order(dana, two_people):
    texts, _report = export.build_export(actor=dana)
    for name in hmis.EXPORT_FILES:
        assert next(csv.reader(io.StringIO(texts[name]))) == hmis.header(name)
    enrollment = rows(texts, "Enrollment")[0]
    assert (enrollment["LivingSituation"], enrollment["LengthOfStay"]) == ("116", "5")


def test_withdrawn_consent_erases_the_identifiers_given(two_people):
    from haven.housing.models import HmisConsent

    assert HmisConsent.objects.get(participant=two_people[1]).identifiers is None


def test_validation_finds_a_value_outside_a_list_and_a_missing_required_value():
    text = hmis.to_csv("Exit", [{"ExitID": "X1", "EnrollmentID": "E1", "PersonalID": "P1", "ExitDate": "2026-01-31",
                                 "Destination": 12345, "DateCreated": "2026-01-31 10:00:00",
                                 "DateUpdated": "2026-01-31 10:00:00", "UserID": "U1"}])
    report = hmis.validate({"Exit": text})
    assert any("Destination: “12345” is not in the Destination list" in problem for problem in report.problems)
    assert any("ExportID: required, but empty" in problem for problem in report.problems)


def test_a_column_not_in_the_specification_is_refused():
    with pytest.raises(ValueError, match="not in the FY2026"):
        hmis.to_csv("Client", [{"PersonalID": "1", "Nickname": "x"}])


def test_the_export_page_reports_who_was_left_out_and_the_zip_holds_the_files(client_as, dana, two_people):
    page = client_as(dana).get(reverse("housing-hmis-export")).content.decode()
    assert "Consent withdrawn: 1" in page and "Valid" in page
    response = client_as(dana).get(reverse("housing-hmis-export") + "?download=1")
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(names) == sorted([f"{name}.csv" for name in hmis.EXPORT_FILES] + ["validation_report.txt"])


def test_staff_and_peers_cannot_export(client_as, bob, carol):
    for person in (bob, carol):
        assert client_as(person).get(reverse("housing-hmis-export")).status_code == 403


# The build script, on a small sample in the source's own shapes ------------------------------------

RUBY = """
    def hmis_configuration(version: nil)
      case version
      when '2022'
        { Old: { type: :string } }
      when '2024', '2026'
        {
          ExitID: {
            type: :string,
            limit: 32,
            null: false,
          },
          Destination: {
            type: :integer,
            null: false,
          },
          OtherDestination: {
            type: :string,
            limit: 50,
          },
        }
      end
"""
GRAPHQL = "    hud_field :destination, Types::HmisSchema::Enums::Hud::Destination, null: false\n"
LISTS = '[{"name": "Destination", "code": "3.12", "values": [{"key": 116, "description": "Outside"}]}]'


def test_the_build_script_reads_columns_lists_and_which_column_takes_which_list():
    import json

    lists = json.loads(LISTS)
    lists += [{"name": name, "code": "x", "values": []} for name in
              ("PriorLivingSituation", "CurrentLivingSituation", "ResidencePriorLengthOfStay", "ProjectType")]
    spec = build.build(structures={"Exit": RUBY}, graphql={"Exit": GRAPHQL}, lists_json=json.dumps(lists))
    assert spec["files"]["Exit"] == [
        {"name": "ExitID", "type": "string", "limit": 32, "required": True},
        {"name": "Destination", "type": "integer", "limit": None, "required": True, "list": "Destination"},
        {"name": "OtherDestination", "type": "string", "limit": 50, "required": False}]
    assert spec["lists"]["Destination"]["values"] == {"116": "Outside"}
    assert build.underscore("RelationshipToHoH") == "relationship_to_ho_h"
