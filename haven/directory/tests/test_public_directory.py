"""The public directory: anyone, no JavaScript needed, low-barrier filters, several languages."""

import pytest

from haven.core.models import AuditEvent
from haven.directory import actions
from haven.directory.models import Service


def test_anyone_sees_active_services_without_signing_in(anonymous_client, drop_in_directory):
    response = anonymous_client.get("/directory/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Harbour drop-in" in text and "Lakeside residential" in text
    assert "Every day, open 24 hours" in text
    assert "<script" not in text.split("</head>")[1]  # the page itself needs no script


def test_low_barrier_filters_narrow_the_list(anonymous_client, drop_in_directory):
    text = anonymous_client.get("/directory/?needs=no_id_needed&needs=walk_in").content.decode()
    assert "Harbour drop-in" in text and "Lakeside residential" not in text
    text = anonymous_client.get("/directory/?needs=accepts_moud").content.decode()
    assert "Harbour drop-in" not in text and "Lakeside residential" in text


def test_open_now_and_language_filters(anonymous_client, drop_in_directory):
    text = anonymous_client.get("/directory/?open_now=on").content.decode()
    assert "Harbour drop-in" in text and "Lakeside residential" not in text  # only the drop-in has hours
    text = anonymous_client.get("/directory/?language=es").content.decode()
    assert "Harbour drop-in" in text and "Lakeside residential" not in text


def test_defunct_services_leave_the_public_page_but_not_the_staff_view(anonymous_client, client_as, bob,
                                                                        drop_in_directory):
    Service.objects.filter(pk=drop_in_directory["residential"].pk).update(status="defunct")
    assert "Lakeside residential" not in anonymous_client.get("/directory/").content.decode()
    assert anonymous_client.get(f"/directory/services/{drop_in_directory['residential'].pk}/").status_code == 404
    assert "Lakeside residential" in client_as(bob).get("/directory/staff/").content.decode()


@pytest.mark.parametrize("language, heading", [("en", "Services near you"), ("es", None), ("fr", None)])
def test_the_page_answers_in_the_visitors_language(anonymous_client, drop_in_directory, language, heading):
    response = anonymous_client.get("/directory/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()
    if heading:
        assert heading in response.content.decode()


def test_staff_add_a_service_with_its_low_barrier_attributes(client_as, bob, drop_in_directory):
    response = client_as(bob).post("/directory/staff/new/", {
        "organization": drop_in_directory["organization"].pk, "name": "Night shelter", "status": "active",
        "category": "housing", "low_barrier": ["pets_allowed", "couples_welcome"], "languages": "en, fr"})
    assert response.status_code == 302
    shelter = Service.objects.get(name="Night shelter")
    assert set(shelter.languages.values_list("code", flat=True)) == {"en", "fr"}
    assert AuditEvent.objects.filter(object_id=str(shelter.pk), action="create").exists()


def test_staff_update_availability_with_its_time(client_as, bob, anonymous_client, drop_in_directory):
    service = drop_in_directory["residential"]
    assert client_as(bob).post(f"/directory/staff/{service.pk}/availability/", {"beds": "3"}).status_code == 302
    text = anonymous_client.get("/directory/").content.decode()
    assert "Beds free: 3" in text and "updated" in text


def test_peers_cannot_edit_the_directory(client_as, carol, drop_in_directory):
    assert client_as(carol).get("/directory/staff/new/").status_code == 403


class TestPartnerTokens:
    @pytest.fixture
    def token(self, dana, drop_in_directory):
        return actions.partner_create(actor=dana, organization=drop_in_directory["organization"], label="Harbour CMS")

    def test_a_partner_updates_availability_of_its_own_service(self, anonymous_client, token, drop_in_directory):
        _partner, secret = token
        response = anonymous_client.post("/api/directory/partner/availability", {
            "service_id": str(drop_in_directory["residential"].pk), "beds": 2}, content_type="application/json",
            HTTP_X_PARTNER_TOKEN=secret)
        assert response.status_code == 200, response.content

    def test_a_partner_cannot_touch_another_organizations_service(self, anonymous_client, token, dana):
        other = actions.organization_create(actor=dana, name="Elsewhere")
        service = actions.service_save(actor=dana, organization=other, values={"name": "Other"}, low_barrier=[])
        response = anonymous_client.post("/api/directory/partner/availability", {"service_id": str(service.pk),
                                          "beds": 2}, content_type="application/json",
                                         HTTP_X_PARTNER_TOKEN=token[1])
        assert response.status_code == 404

    def test_a_partner_package_may_only_hold_its_own_entries(self, anonymous_client, token, dana, drop_in_directory):
        other = actions.organization_create(actor=dana, name="Elsewhere")
        document = {"organizations": [{"id": str(other.pk), "name": "Taken over", "description": "x"}]}
        response = anonymous_client.post("/api/directory/partner/package", document, content_type="application/json",
                                         HTTP_X_PARTNER_TOKEN=token[1])
        assert response.status_code == 400
        assert "only change its own organization" in response.content.decode()
        other.refresh_from_db()
        assert other.name == "Elsewhere"

    def test_a_partner_renames_its_own_service(self, anonymous_client, token, drop_in_directory):
        organization = drop_in_directory["organization"]
        service = drop_in_directory["drop_in"]
        document = {"services": [{"id": str(service.pk), "organization_id": str(organization.pk),
                                  "name": "Harbour drop-in and rest", "status": "active"}],
                    "organizations": [{"id": str(organization.pk), "name": organization.name,
                                       "description": organization.description}]}
        response = anonymous_client.post("/api/directory/partner/package", document, content_type="application/json",
                                         HTTP_X_PARTNER_TOKEN=token[1])
        assert response.status_code == 200, response.content
        service.refresh_from_db()
        assert service.name == "Harbour drop-in and rest"

    def test_a_revoked_or_wrong_token_is_refused(self, anonymous_client, token, dana):
        partner, secret = token
        actions.partner_revoke(actor=dana, partner=partner)
        for value in (secret, "hvp_nothing_here"):
            response = anonymous_client.post("/api/directory/partner/availability", {"service_id": "x"},
                                             content_type="application/json", HTTP_X_PARTNER_TOKEN=value)
            assert response.status_code == 401

    def test_a_partner_token_is_not_a_staff_token(self, client_as, token):
        from django.test import Client

        client = Client(HTTP_AUTHORIZATION=f"Bearer {token[1]}")
        assert client.get("/api/participants/lookup?code=x").status_code == 401


def test_editing_a_service_replaces_its_low_barrier_attributes(client_as, bob, anonymous_client, drop_in_directory):
    service = drop_in_directory["drop_in"]
    response = client_as(bob).post(f"/directory/staff/{service.pk}/", {
        "organization": drop_in_directory["organization"].pk, "name": "Harbour drop-in", "status": "active",
        "category": "harm_reduction", "low_barrier": ["free"], "languages": "en"})
    assert response.status_code == 302
    assert "Harbour drop-in" not in anonymous_client.get("/directory/?needs=no_id_needed").content.decode()
    assert "Harbour drop-in" in anonymous_client.get("/directory/?needs=free").content.decode()


def test_the_public_page_reads_the_same_number_of_queries_for_more_services(anonymous_client, dana,
                                                                            drop_in_directory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from haven.directory.models import Location, Phone, Schedule, ServiceAtLocation

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert anonymous_client.get("/directory/").status_code == 200
        return len(captured)

    count()  # the first page also loads what is cached for every later page (the program's brand)
    before = count()
    for number in range(4):
        service = actions.service_save(actor=dana, organization=drop_in_directory["organization"],
                                       values={"name": f"Extra {number}"}, low_barrier=["free"], languages=["en"])
        location = Location.objects.create(organization=drop_in_directory["organization"], name=f"Site {number}")
        at_location = ServiceAtLocation.objects.create(service=service, location=location)
        Schedule.objects.create(service_at_location=at_location, byday="MO", opens_at="09:00", closes_at="10:00")
        Phone.objects.create(service=service, number="555-0100")
    assert count() == before
