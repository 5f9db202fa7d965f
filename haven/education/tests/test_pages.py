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


def test_the_interactions_page_is_a_plain_get_form_with_one_free_text_box_and_a_list_of_names(anonymous_client):
    content = anonymous_client.get("/learn/interactions/").content.decode()

    assert '<form method="get"' in content
    assert 'name="q" id="interaction-query"' in content and 'list="substance-names"' in content
    assert '<option value="benzos">' in content and '<option value="Xanax">' in content
    assert 'hx-get="/learn/interactions/suggest/"' in content


def test_the_interactions_page_shows_every_pair_with_risk_in_words_explanations_and_sources(anonymous_client):
    response = anonymous_client.get("/learn/interactions/", {"q": "heroin, alprazolam, tranq, lithium"})

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('class="card pair risk-') == 6
    assert 'class="risk-label risk-dangerous">Dangerous</span>' in content
    assert "Together they slow breathing far more than either alone." in content
    assert "https://www.fda.gov/drugs/drug-safety-and-availability/" in content
    assert "Unknown — no information; this does not mean it is safe." in content
    assert 'value="heroin, alprazolam, tranq, lithium"' in content  # the question stays in the box


def test_a_mix_of_depressants_gets_a_warning_about_the_whole_mix(anonymous_client):
    content = anonymous_client.get("/learn/interactions/", {"q": "heroin, xanax and alcohol"}).content.decode()

    assert "The whole mix" in content and "Three of these slow breathing" in content


def test_the_worst_pair_comes_first(anonymous_client):
    content = anonymous_client.get("/learn/interactions/", {"q": "lsd, cannabis, tranq"}).content.decode()

    assert content.index("risk-caution") < content.index("risk-unknown")


def test_people_ask_about_classes_with_slang(anonymous_client):
    response = anonymous_client.get("/learn/interactions/", {"q": "benzos and alcohol"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Benzodiazepines (any)" in content and 'class="risk-label risk-dangerous"' in content


def test_the_older_address_with_one_substance_parameter_per_name_still_works(anonymous_client):
    content = anonymous_client.get("/learn/interactions/", {"substance": ["Crack", "booze"]}).content.decode()

    assert "cocaethylene" in content


def test_an_unknown_name_is_reported_with_suggestions_as_links_and_status_400(anonymous_client):
    response = anonymous_client.get("/learn/interactions/", {"q": "heroin, fentanil"})

    content = response.content.decode()
    assert response.status_code == 400
    assert "No substance is called “fentanil”." in content and "Did you mean:" in content
    assert 'href="?q=heroin%2C%20Fentanyl"' in content
    assert 'class="card pair' not in content


def test_benzos_misspelt_suggests_benzos_not_nitrous_or_2cb(anonymous_client):
    content = anonymous_client.get("/learn/interactions/", {"q": "benzoz, alcohol"}).content.decode()

    assert ">benzos</a>" in content and ">nos</a>" not in content and ">bees</a>" not in content


def test_one_substance_asks_for_another(anonymous_client):
    response = anonymous_client.get("/learn/interactions/", {"q": "heroin, dope"})

    assert response.status_code == 400
    assert "These are the same substance" in response.content.decode()
    response = anonymous_client.get("/learn/interactions/", {"q": "heroin"})
    assert response.status_code == 400 and "Give at least two substances" in response.content.decode()


def test_fifty_substances_are_refused_with_a_clear_message(anonymous_client):
    response = anonymous_client.get("/learn/interactions/", {"q": ", ".join(["heroin"] * 50)})

    assert response.status_code == 400
    assert "Check at most 10 substances at once (you gave 50)." in response.content.decode()


def test_a_picked_suggestion_fills_the_box_without_checking_yet(anonymous_client):
    response = anonymous_client.get("/learn/interactions/", {"q": "benzos, ", "typing": "1"})

    assert response.status_code == 200 and 'class="card pair' not in response.content.decode()


def test_suggestions_as_you_type_complete_the_last_name(anonymous_client):
    content = anonymous_client.get("/learn/interactions/suggest/", {"q": "alcohol, ben"}).content.decode()

    assert 'href="?q=alcohol%2C%20benzos%2C%20&amp;typing=1"' in content
    assert anonymous_client.get("/learn/interactions/suggest/", {"q": ""}).content.decode().strip() == ""


@pytest.mark.browser
def test_the_interactions_page_works_in_a_browser_with_javascript_turned_off(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/learn/interactions/")
        page.fill("#interaction-query", "fentanyl, tranq, xanax")
        page.get_by_role("button", name="Check").click()
        page.wait_for_load_state()

        assert page.locator("li.pair").count() == 3
        assert page.locator(".risk-label.risk-dangerous").first.inner_text() == "Dangerous"
        assert "q=fentanyl" in page.url
    finally:
        context.close()


@pytest.mark.browser
def test_with_javascript_suggestions_appear_as_you_type_and_fill_the_box(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/learn/interactions/")
        page.fill("#interaction-query", "alcohol, benz")
        page.locator("#interaction-suggestions a", has_text="benzos").first.wait_for()
        page.locator("#interaction-suggestions a", has_text="benzos").first.click()
        page.wait_for_load_state()
        assert page.input_value("#interaction-query") == "alcohol, benzos, "
        page.get_by_role("button", name="Check").click()
        page.wait_for_load_state()
        assert page.locator("li.pair .risk-label.risk-dangerous").count() == 1
    finally:
        context.close()
