from haven.core.models import AuditEvent
from haven.places.models import Site

NEW_SITE = {"name": "Westside van", "kind": "mobile", "area": "", "hours_per_week": "20", "active": "on"}


def test_coordinator_creates_a_site_and_it_is_audited(dana, client_as):
    response = client_as(dana).post("/places/sites/new/", NEW_SITE)

    assert response.status_code == 302
    assert response.url == "/places/sites/"
    site = Site.objects.get(name="Westside van")
    assert site.kind == Site.Kind.MOBILE
    assert site.hours_per_week == 20
    event = AuditEvent.objects.get(object_type="places.site", object_id=str(site.pk))
    assert event.action == "create"
    assert event.actor_label == "dana"
    assert "hours_per_week" in event.detail["fields"]


def test_admin_creates_a_site_in_an_area(alice, places, client_as):
    response = client_as(alice).post("/places/sites/new/", {**NEW_SITE, "area": places["north"].pk})

    assert response.status_code == 302
    assert Site.objects.get(name="Westside van").area == places["north"]


def test_new_site_form_shows_to_a_coordinator(dana, client_as):
    response = client_as(dana).get("/places/sites/new/")

    assert response.status_code == 200
    assert b'name="hours_per_week"' in response.content


def test_peer_cannot_create_a_site(carol, client_as):
    response = client_as(carol).post("/places/sites/new/", NEW_SITE)

    assert response.status_code == 403
    assert not Site.objects.filter(name="Westside van").exists()


def test_staff_cannot_open_the_new_site_form(bob, client_as):
    assert client_as(bob).get("/places/sites/new/").status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(places, anonymous_client):
    response = anonymous_client.get("/places/sites/new/")

    assert response.status_code == 302
    assert "/login/" in response.url
