"""The public pages: fact sheets and the interaction checker, for anyone, without JavaScript."""

import pytest

pytestmark = pytest.mark.django_db


def test_anyone_can_read_the_list_of_fact_sheets_without_signing_in(anonymous_client):
    response = anonymous_client.get("/learn/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Substance fact sheets" in content
    assert 'href="/learn/substances/heroin/"' in content and 'href="/learn/substances/xylazine/"' in content


def test_the_list_is_searchable_by_a_street_name_in_any_case(anonymous_client):
    content = anonymous_client.get("/learn/", {"q": "XANAX"}).content.decode()

    assert 'href="/learn/substances/alprazolam/"' in content
    assert 'href="/learn/substances/heroin/"' not in content


def test_a_search_that_finds_nothing_says_so(anonymous_client):
    content = anonymous_client.get("/learn/", {"q": "zzzz"}).content.decode()

    assert "No substance has that name" in content


def test_a_fact_sheet_shows_every_section_and_its_sources_without_signing_in(anonymous_client):
    response = anonymous_client.get("/learn/substances/fentanyl/")

    assert response.status_code == 200
    content = response.content.decode()
    for heading in ("When effects start and how long they last", "Dose", "Main risks", "Safer use",
                    "Overdose: signs and what to do", "Drug checking", "Sources"):
        assert heading in content
    assert "Naloxone reverses this substance." in content
    assert "fentanyl test strip" in content
    assert 'id="source-nida-fentanyl"' in content and 'href="#source-nida-fentanyl"' in content
    assert "https://nida.nih.gov/publications/drugfacts/fentanyl" in content


def test_a_sheet_without_evidence_for_doses_says_so(anonymous_client):
    content = anonymous_client.get("/learn/substances/nitazenes/").content.decode()

    assert "The evidence does not support a dose range for this substance." in content


def test_a_sheet_with_evidence_shows_the_dose_range_and_its_basis(anonymous_client):
    content = anonymous_client.get("/learn/substances/methadone/").content.decode()

    assert "60–120 mg a day (maintenance)" in content and "WHO guidance" in content


def test_an_unknown_fact_sheet_is_not_found(anonymous_client):
    assert anonymous_client.get("/learn/substances/unobtainium/").status_code == 404


def test_signed_in_staff_see_the_same_pages(bob, client_as):
    assert client_as(bob).get("/learn/substances/heroin/").status_code == 200


def test_the_interactions_page_is_a_plain_get_form_with_a_select_per_substance(anonymous_client):
    content = anonymous_client.get("/learn/interactions/").content.decode()

    assert '<form method="get"' in content
    assert content.count('<select name="substance"') == 4
    assert '<label for="substance-1">Substance 1</label>' in content


def test_the_interactions_page_shows_every_pair_with_risk_in_words_explanations_and_sources(anonymous_client):
    response = anonymous_client.get("/learn/interactions/", {"substance": ["heroin", "alprazolam", "lithium"]})

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('class="card pair risk-') == 3
    assert 'class="risk-label risk-dangerous">Dangerous</span>' in content
    assert "Together they slow breathing far more than either alone." in content
    assert "https://www.fda.gov/drugs/drug-safety-and-availability/" in content
    assert "Unknown — no information; this does not mean it is safe." in content
    assert "Low risk" not in content
    # The choices stay selected, and a fresh empty field is offered.
    assert '<option value="alprazolam" selected>' in content
    assert content.count('<select name="substance"') == 4


def test_the_worst_pair_comes_first(anonymous_client):
    content = anonymous_client.get("/learn/interactions/", {"substance": ["lsd", "cannabis", "lithium"]}).content.decode()

    assert content.index("risk-dangerous") < content.index("risk-caution") < content.index("risk-unknown")


def test_street_names_typed_into_the_address_work_too(anonymous_client):
    content = anonymous_client.get("/learn/interactions/", {"substance": ["Crack", "booze"]}).content.decode()

    assert "cocaethylene" in content


def test_an_unknown_name_is_reported_with_suggestions(anonymous_client):
    content = anonymous_client.get("/learn/interactions/", {"substance": ["heroin", "fentanil"]}).content.decode()

    assert "No substance is called “fentanil”. Did you mean: " in content
    assert 'class="card pair' not in content


def test_one_substance_asks_for_another(anonymous_client):
    content = anonymous_client.get("/learn/interactions/", {"substance": ["heroin", "", "dope"]}).content.decode()

    assert "Choose at least two different substances." in content


@pytest.mark.browser
def test_the_interactions_page_works_in_a_browser_with_javascript_turned_off(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/learn/interactions/")
        page.select_option("#substance-1", "fentanyl")
        page.select_option("#substance-2", "xylazine")
        page.select_option("#substance-3", "alprazolam")
        page.get_by_role("button", name="Check").click()
        page.wait_for_load_state()

        assert page.locator("li.pair").count() == 3
        assert page.locator(".risk-label.risk-dangerous").first.inner_text() == "Dangerous"
        assert "substance=fentanyl" in page.url
    finally:
        context.close()
