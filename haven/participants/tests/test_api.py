"""The participants API: lookup and enrolment with a token."""

from django.test import Client

from haven.accounts.models import ApiToken
from haven.accounts.tokens import new_token_parts
from haven.participants.models import Participant
from haven.participants.tests.conftest import CODE


def api_client(user):
    lookup, token = new_token_parts()
    ApiToken.objects.create(user=user, name="test client", lookup=lookup, digest=ApiToken.digest_of(token))
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_lookup_finds_a_participant_with_their_last_visit(bob, places, enrol, visit):
    participant = enrol(by=bob)
    visit(participant, places["fixed"], given={"syringes": 10})

    response = api_client(bob).post("/api/participants/lookup", {"code": "ab 03 85 c"}, content_type="application/json")

    assert response.status_code == 200
    body = response.json()
    assert body["found"] is True
    assert body["display_id"] == participant.display_id
    assert body["last_visit"]["site"] == "North drop-in"
    assert body["last_visit"]["supplies"] == [{"name": "1 mL syringe", "quantity": 10}]


def test_lookup_of_an_unknown_code_says_not_found(carol):
    response = api_client(carol).post("/api/participants/lookup", {"code": CODE}, content_type="application/json")

    assert response.status_code == 200
    assert response.json() == {"found": False, "display_id": None, "visit_count": None, "last_visit": None}


def test_lookup_of_a_code_that_does_not_fit_is_a_422_that_says_why(carol):
    response = api_client(carol).post("/api/participants/lookup", {"code": "AB1385C"}, content_type="application/json")

    assert response.status_code == 422
    assert "01 to 12" in response.json()["detail"]


def test_a_token_enrols_a_participant(carol, places):
    response = api_client(carol).post("/api/participants", {"code": "ab0385c", "site_id": places["van"].pk},
                                      content_type="application/json")

    assert response.status_code == 201
    participant = Participant.objects.get()
    assert response.json()["display_id"] == participant.display_id
    assert participant.enrolled_site == places["van"]


def test_enrolling_the_same_code_twice_is_a_409_naming_the_existing_participant(carol, enrol):
    existing = enrol(by=carol)

    response = api_client(carol).post("/api/participants", {"code": CODE}, content_type="application/json")

    assert response.status_code == 409
    assert response.json()["display_id"] == existing.display_id


def test_enrolling_at_someone_elses_site_is_refused(carol, places):
    response = api_client(carol).post("/api/participants", {"code": CODE, "site_id": places["fixed"].pk},
                                      content_type="application/json")

    assert response.status_code == 422
    assert not Participant.objects.exists()


def test_a_bad_code_is_not_enrolled(carol):
    response = api_client(carol).post("/api/participants", {"code": "A"}, content_type="application/json")

    assert response.status_code == 422
    assert "too short" in response.json()["detail"]


def test_without_a_token_the_api_asks_to_authenticate(places, anonymous_client):
    assert anonymous_client.post("/api/participants/lookup", {"code": CODE}, content_type="application/json").status_code == 401
    assert anonymous_client.post("/api/participants", {"code": CODE},
                                 content_type="application/json").status_code == 401
