"""Finding a participant by code, as it is typed."""

from haven.core.models import AuditEvent
from haven.participants.queries import participant_by_code
from haven.participants.tests.conftest import CODE

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_differently_typed_code_finds_the_participant(bob, enrol):
    participant = enrol(by=bob)

    assert participant_by_code("ab 03 85 c") == participant
    assert participant_by_code("Àb-0385-Ç") == participant
    assert participant_by_code("AB0385D") is None


def test_the_lookup_answers_htmx_with_a_partial_showing_the_match(bob, places, client_as, enrol, visit):
    participant = enrol(by=bob)
    visit(participant, places["fixed"], days_ago=2, given={"syringes": 10, "naloxone": 1})

    response = client_as(bob).get("/participants/lookup/", {"code": "ab 03 85 c"}, **HTMX)

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert participant.display_id in content
    assert "Log a visit" in content
    assert f'href="/encounters/new/?participant={participant.display_id}"' in content
    assert "10 × 1 mL syringe" in content
    assert "North drop-in" in content
    assert CODE not in content


def test_the_lookup_without_htmx_is_a_full_page(bob, client_as, enrol):
    participant = enrol(by=bob)

    response = client_as(bob).get("/participants/lookup/", {"code": CODE})

    assert "<html" in response.content.decode()
    assert participant.display_id in response.content.decode()


def test_the_lookup_form_posts_so_the_code_stays_out_of_the_address_bar(bob, client_as, enrol):
    participant = enrol(by=bob)
    client = client_as(bob)

    page = client.get("/participants/").content.decode()
    response = client.post("/participants/lookup/", {"code": CODE})

    assert 'method="post" action="/participants/lookup/"' in page
    assert 'hx-post="/participants/lookup/"' in page
    assert 'hx-trigger="input changed delay:150ms' in page
    assert participant.display_id in response.content.decode()


def test_an_unknown_code_offers_to_enrol_with_it(carol, client_as):
    content = client_as(carol).get("/participants/lookup/", {"code": CODE}, **HTMX).content.decode()

    assert "No participant with this code" in content
    assert "Enrol with this code" in content
    assert 'action="/participants/enroll/"' not in content
    assert 'action="/participants/enrol/"' in content


def test_a_code_being_typed_asks_for_more(bob, client_as):
    content = client_as(bob).get("/participants/lookup/", {"code": "AB03"}, **HTMX).content.decode()

    assert "Keep typing: 3 more characters." in content


def test_a_code_that_does_not_fit_says_how_to_build_it(bob, client_as):
    content = client_as(bob).get("/participants/lookup/", {"code": "AB1385C"}, **HTMX).content.decode()

    assert "01 to 12" in content
    assert "How to build a code" in content
    assert "First 2 letters of mother&#x27;s first name" in content


def test_a_merged_record_is_found_as_the_participant_it_was_merged_into(bob, enrol):
    from haven.participants.actions import participant_merge

    keep, duplicate = enrol("AB0385C", by=bob), enrol("AB0385D", by=bob)
    participant_merge(actor=bob, keep=keep, duplicate=duplicate)

    assert participant_by_code("AB0385D") == keep


def test_a_found_participant_is_audited_as_viewed(carol, client_as, enrol):
    participant = enrol(by=carol)

    client_as(carol).get("/participants/lookup/", {"code": CODE}, **HTMX)

    event = AuditEvent.objects.filter(action="view", object_id=str(participant.pk)).get()
    assert event.actor_label == "carol"
    assert event.detail == {"via": "lookup"}


def test_staff_find_a_participant_enrolled_at_another_site(bob, carol, places, client_as, enrol, visit):
    participant = enrol(by=carol, site=places["van"])
    visit(participant, places["van"], given={"syringes": 5})

    content = client_as(bob).get("/participants/lookup/", {"code": CODE}, **HTMX).content.decode()

    assert participant.display_id in content
    assert "Not at your sites." in content
    assert "East van" not in content


def test_the_participants_page_lists_recent_enrolments_at_my_sites(bob, carol, places, client_as, enrol):
    mine = enrol("AB0385C", by=bob, site=places["fixed"])
    theirs = enrol("CD0490E", by=carol, site=places["van"])

    content = client_as(bob).get("/participants/").content.decode()

    assert mine.display_id in content
    assert theirs.display_id not in content


def test_the_cards_display_id_finds_the_participant_in_any_case(bob, client_as, enrol):
    participant = enrol(by=bob)

    for typed in (participant.display_id, participant.display_id.lower(),
                  f"{participant.display_id[:3]}-{participant.display_id[3:]}"):
        response = client_as(bob).post("/participants/lookup/", {"code": typed}, HTTP_HX_REQUEST="true")
        assert response.context["state"] == "found", typed
        assert response.context["participant"] == participant


def test_a_display_id_lookup_is_audited_as_a_view_by_display_id(bob, client_as, enrol):
    from haven.core.models import AuditEvent

    participant = enrol(by=bob)
    client_as(bob).post("/participants/lookup/", {"code": participant.display_id}, HTTP_HX_REQUEST="true")

    event = AuditEvent.objects.filter(action="view", object_id=str(participant.pk)).latest("pk")
    assert event.detail.get("via") == "display id"


def test_the_scan_page_opens_the_visit_form_by_display_id_without_javascript(bob, client_as):
    page = client_as(bob).get("/participants/scan/").content.decode()

    assert 'action="/encounters/new/"' in page and 'name="participant"' in page
    assert "jsQR-1.4.0.js" in page  # the decoder is Haven's own copy, never a CDN
