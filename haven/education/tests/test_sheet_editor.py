"""Editing a fact sheet: draft, language check, review by a second person, publish, history, revert,
export; the data files stay the seed. Coordinator Dana writes, admin Alice reviews."""

import pytest
import yaml

from haven.core.models import AuditEvent
from haven.education import actions, knowledge
from haven.education.models import SheetVersion

pytestmark = pytest.mark.django_db
Status = SheetVersion.Status


def seed(substance_id="heroin"):
    return knowledge.sheet_text(substance_id)


def edited(
    text=None, summary="An opioid made from morphine; the street supply often holds fentanyl instead."
):
    raw = yaml.safe_load(text or seed())
    raw["summary"] = summary
    return yaml.safe_dump(raw, sort_keys=False, allow_unicode=True)


def test_the_seed_is_the_data_files_sheet_and_reads_back_valid():
    substance = knowledge.parse_sheet(seed(), knowledge.default(), "heroin")
    original = knowledge.default().substances["heroin"]
    for field in (
        "name",
        "names",
        "classes",
        "summary",
        "routes",
        "timing",
        "dose",
        "risks",
        "safer_use",
        "overdose",
        "drug_checking",
    ):
        assert getattr(substance, field) == getattr(original, field), field


def test_a_coordinator_can_edit_review_is_by_someone_else_and_publishing_changes_the_public_page(
    dana, alice, client_as, anonymous_client
):
    draft = actions.sheet_draft_save(
        actor=dana, substance_id="heroin", language="en", content=edited(), note="Plainer summary"
    )
    assert (draft.number, draft.status, draft.language_findings) == (1, Status.DRAFT, [])
    actions.sheet_submit(actor=dana, version=draft)

    with pytest.raises(actions.ValidationError, match="second person"):
        actions.sheet_review(actor=dana, version=draft, approve=True)
    actions.sheet_review(actor=alice, version=draft, approve=True)
    actions.sheet_publish(actor=alice, version=draft)

    content = anonymous_client.get("/learn/substances/heroin/").content.decode()
    assert "the street supply often holds fentanyl instead" in content
    events = AuditEvent.objects.filter(object_type="education.sheetversion", object_id=str(draft.pk))
    assert events.count() == 4


def test_publishing_a_second_version_retires_the_first_and_revert_starts_a_reviewed_draft(dana, alice):
    first = actions.sheet_draft_save(actor=dana, substance_id="heroin", language="en", content=edited())
    for step in (
        lambda v: actions.sheet_submit(actor=dana, version=v),
        lambda v: actions.sheet_review(actor=alice, version=v, approve=True),
        lambda v: actions.sheet_publish(actor=alice, version=v),
    ):
        step(first)
    second = actions.sheet_draft_save(
        actor=dana,
        substance_id="heroin",
        language="en",
        content=edited(summary="Second wording of the summary."),
    )
    actions.sheet_submit(actor=dana, version=second)
    actions.sheet_review(actor=alice, version=second, approve=True)
    actions.sheet_publish(actor=alice, version=second)
    first.refresh_from_db()
    assert first.status == Status.RETIRED

    back = actions.sheet_revert(actor=alice, version=first)
    assert (back.number, back.status, back.based_on, back.content) == (3, Status.DRAFT, first, first.content)


def test_a_draft_with_stigmatizing_words_is_flagged_and_cannot_be_sent_for_review(dana):
    draft = actions.sheet_draft_save(
        actor=dana,
        substance_id="heroin",
        language="en",
        content=edited(summary="Many heroin addicts use it by injection."),
    )
    assert [f["rule"] for f in draft.language_findings] == ["addict"]
    with pytest.raises(actions.ValidationError, match="language check"):
        actions.sheet_submit(actor=dana, version=draft)


def test_a_spanish_version_is_checked_with_the_spanish_rules_and_reviewed_like_an_edit(dana, alice):
    draft = actions.sheet_draft_save(
        actor=dana,
        substance_id="heroin",
        language="es",
        content=edited(summary="Los drogadictos la inyectan."),
    )
    assert [f["rule"] for f in draft.language_findings] == ["es-drogadicto"]
    fixed = actions.sheet_draft_save(
        actor=dana,
        substance_id="heroin",
        language="es",
        version=draft,
        content=edited(summary="Un opioide derivado de la morfina."),
    )
    actions.sheet_submit(actor=dana, version=fixed)
    actions.sheet_review(actor=alice, version=fixed, approve=False, note="Añade la fuente del resumen.")
    fixed.refresh_from_db()
    assert fixed.status == Status.CHANGES_REQUESTED and fixed.language == "es"


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda raw: raw["risks"].update(sources=[]), "no sources"),
        (lambda raw: raw["risks"].update(sources=["made-up-source"]), "unknown source"),
        (lambda raw: raw.update(id="heroin-2"), "must stay 'heroin'"),
        (lambda raw: raw.update(names=["crack"]), "already belongs to 'crack-cocaine'"),
        (lambda raw: raw.update(colour="brown"), "unknown key"),
    ],
)
def test_an_invalid_sheet_is_refused_with_the_loaders_message_and_nothing_is_saved(dana, change, message):
    raw = yaml.safe_load(seed())
    change(raw)
    with pytest.raises(actions.ValidationError, match=message):
        actions.sheet_draft_save(
            actor=dana, substance_id="heroin", language="en", content=yaml.safe_dump(raw, sort_keys=False)
        )
    assert not SheetVersion.objects.exists()


def test_broken_yaml_is_refused_with_the_line(dana):
    with pytest.raises(actions.ValidationError, match="invalid YAML at line"):
        actions.sheet_draft_save(
            actor=dana, substance_id="heroin", language="en", content="id: heroin\nname: [\n"
        )


def test_the_export_is_a_data_file_that_the_loader_accepts(dana, client_as, tmp_path, data_copy):
    draft = actions.sheet_draft_save(actor=dana, substance_id="heroin", language="en", content=edited())
    response = client_as(dana).get(f"/learn/edit/versions/{draft.pk}/export/")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/yaml")
    exported = yaml.safe_load(response.content)
    assert [s["id"] for s in exported["substances"]] == ["heroin"]
    # Put it in place of heroin's entry in a copy of the data folder: the loader accepts it.
    path = data_copy / "substances" / "opioids.yaml"
    sheets = [s for s in knowledge.read_yaml(path)["substances"] if s["id"] != "heroin"]
    path.write_text(yaml.safe_dump({"substances": [*exported["substances"], *sheets]}, sort_keys=False))
    assert "street supply often holds fentanyl" in knowledge.load(data_copy).substances["heroin"].summary


def test_the_editor_pages_work_for_a_coordinator(dana, alice, client_as):
    client = client_as(dana)
    assert "Edit fact sheets" in client.get("/learn/edit/").content.decode()
    page = client.get("/learn/edit/heroin/")
    assert page.status_code == 200 and "id: heroin" in page.content.decode()

    response = client.post(
        "/learn/edit/heroin/", {"language": "en", "content": edited(), "note": "Plainer", "then": "submit"}
    )
    assert response.status_code == 302
    version = SheetVersion.objects.get()
    assert version.status == Status.IN_REVIEW
    assert (
        "nobody reviews their own edit" in client.get(f"/learn/edit/versions/{version.pk}/").content.decode()
    )

    reviewer = client_as(alice)
    assert reviewer.post(f"/learn/edit/versions/{version.pk}/approve/").status_code == 302
    assert reviewer.post(f"/learn/edit/versions/{version.pk}/publish/").status_code == 302
    version.refresh_from_db()
    assert version.status == Status.PUBLISHED


def test_an_invalid_edit_in_the_browser_shows_the_message_with_status_400_and_keeps_the_text(dana, client_as):
    response = client_as(dana).post("/learn/edit/heroin/", {"language": "en", "content": "id: heroin\n"})

    assert response.status_code == 400
    assert "The sheet was not saved" in response.content.decode() and "missing" in response.content.decode()


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_staff_and_peers_cannot_edit_fact_sheets(request, client_as, persona):
    client = client_as(request.getfixturevalue(persona))
    assert client.get("/learn/edit/").status_code == 403
    assert client.post("/learn/edit/heroin/", {"content": seed()}).status_code == 403


def test_the_public_cannot_open_the_editor(anonymous_client):
    assert anonymous_client.get("/learn/edit/").status_code in (302, 403)


def test_the_fact_sheet_list_links_to_the_editor_only_for_editors(dana, client_as, anonymous_client):
    assert 'href="/learn/edit/"' in client_as(dana).get("/learn/").content.decode()
    assert 'href="/learn/edit/"' not in anonymous_client.get("/learn/").content.decode()
