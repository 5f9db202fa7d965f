"""Reagent tests: the colours seen are interpreted by the engine; unknown colours are explained."""

from haven.drugchecking.models import Analysis


def test_bob_records_marquis_and_mecke_colours_and_sees_what_they_fit(mdma_pill, bob, client_as):
    sample, _code = mdma_pill
    client = client_as(bob)

    response = client.post(f"/checking/{sample.pk}/reagent/", {
        "marquis": "purple, black", "mecke": "green", "lot": "RG-7", "performed_at": "", "notes": ""})

    assert response.status_code == 302
    analysis = Analysis.objects.get()
    assert analysis.observations == {"marquis": ["purple", "black"], "mecke": ["green"]}  # a list per reagent
    assert "mdma" in analysis.interpretation["groups"][0]["keys"] + analysis.interpretation["groups"][1]["keys"]
    page = client.get(f"/checking/{sample.pk}/").content.decode()
    assert "What reagents can and cannot tell" in page and "Colours fit:" in page and "MDMA" in page
    assert "<li>purple</li><li>black</li>" in page  # the sequence, not the text letter by letter
    assert "Nothing found by a confirming test yet." in page  # colours never count as found


def test_an_unknown_colour_is_explained_and_nothing_is_saved(mdma_pill, bob, client_as):
    sample, _code = mdma_pill

    response = client_as(bob).post(f"/checking/{sample.pk}/reagent/", {
        "marquis": "purple, blurple", "lot": "", "performed_at": "", "notes": ""})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Unknown colour" in page and "blurple" in page
    assert "purple, blurple" in page  # kept in the form
    assert not Analysis.objects.exists()


def test_no_colours_at_all_is_an_error(mdma_pill, bob, client_as):
    sample, _code = mdma_pill
    response = client_as(bob).post(f"/checking/{sample.pk}/reagent/", {"lot": "", "performed_at": "", "notes": ""})
    assert response.status_code == 400
    assert "at least one reagent" in response.content.decode()


def test_where_sources_disagree_the_sample_page_shows_both(mdma_pill, bob, client_as):
    sample, _code = mdma_pill
    client = client_as(bob)
    client.post(f"/checking/{sample.pk}/reagent/", {
        "marquis": "brown, purple", "mecke": "blue", "scott": "no reaction", "lot": "", "performed_at": "",
        "notes": ""})

    page = client.get(f"/checking/{sample.pk}/").content.decode()

    assert "What the sources report for Heroin" in page
    assert "sources differ: PsychonautWiki: no reaction; Haven&#x27;s literature table: blue" in page
