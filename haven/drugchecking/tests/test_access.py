"""Who may do what: peers take samples in but do not record results; staff see their own sites' samples."""

import pytest

from haven.drugchecking import actions
from haven.drugchecking.models import Analysis


@pytest.fixture
def van_sample(places, carol):
    sample, _code = actions.sample_intake(actor=carol, site=places["van"], expected="heroin", form="powder")
    return sample


def test_peer_can_open_the_intake_form_and_the_sample_list(carol, client_as):
    client = client_as(carol)
    assert client.get("/checking/new/").status_code == 200
    assert client.get("/checking/").status_code == 200


@pytest.mark.parametrize("page", ["strip", "reagent", "spectrometry", "laboratory", "review"])
def test_peer_cannot_record_results_or_review(van_sample, carol, client_as, page):
    client = client_as(carol)
    assert client.get(f"/checking/{van_sample.pk}/{page}/").status_code == 403
    response = client.post(f"/checking/{van_sample.pk}/laboratory/", {"method": "gcms", "components": "heroin, major"})
    assert response.status_code == 403
    assert not Analysis.objects.exists()


def test_peer_sees_her_own_sites_sample_but_no_record_buttons(van_sample, carol, client_as):
    page = client_as(carol).get(f"/checking/{van_sample.pk}/").content.decode()
    assert "Record a strip test" not in page and "Review the finding" not in page


def test_staff_do_not_see_samples_from_sites_they_do_not_work_at(van_sample, bob, client_as):
    client = client_as(bob)
    assert client.get(f"/checking/{van_sample.pk}/").status_code == 404
    assert client.get(f"/checking/{van_sample.pk}/strip/").status_code == 404
    assert f"/checking/{van_sample.pk}/" not in client.get("/checking/").content.decode()


def test_a_coordinator_sees_every_site(van_sample, dana, client_as):
    assert client_as(dana).get(f"/checking/{van_sample.pk}/").status_code == 200


def test_staff_cannot_import_laboratory_files_but_coordinators_can(bob, dana, client_as):
    assert client_as(bob).get("/checking/import/").status_code == 403
    assert client_as(dana).get("/checking/import/").status_code == 200


def test_the_public_pages_need_no_account_and_staff_pages_do(van_sample, anonymous_client):
    assert anonymous_client.get("/checking/result/").status_code == 200
    assert anonymous_client.get("/checking/market/").status_code == 200
    for path in ("/checking/", "/checking/new/", f"/checking/{van_sample.pk}/"):
        assert anonymous_client.get(path).status_code in (302, 403)
