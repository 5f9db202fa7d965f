"""Laboratory CSV import: preview, row-by-row errors, nothing written when any row is bad."""

from django.core.files.uploadedfile import SimpleUploadedFile

from haven.drugchecking.models import Analysis, Sample


def upload(client, text, name="lab.csv"):
    return client.post("/checking/import/", {"file": SimpleUploadedFile(name, text.encode(), "text/csv")})


def good_file(sample):
    return (f"sample,method,substance,abundance,percent,lot,date\n"
            f"{sample.pk},GC-MS,MDMA,major,,LAB-0312,2026-03-02\n"
            f"#{sample.pk},GC-MS,fentanyl,trace,,LAB-0312,2026-03-02\n"
            f"{sample.pk},LC-MS,caffeine,,12.5,LAB-0313,2026-03-03\n")


def test_coordinator_previews_then_imports_a_laboratory_file(mdma_pill, dana, client_as):
    sample, _code = mdma_pill
    client = client_as(dana)

    preview = upload(client, good_file(sample))

    page = preview.content.decode()
    assert preview.status_code == 200
    assert "3 rows, 3 without problems" in page
    assert not Analysis.objects.exists()  # a preview writes nothing
    assert "LAB-0312,2026-03-02" not in page  # the file waits server-side, not in the page
    digest = preview.context["form"].initial["digest"]
    response = client.post("/checking/import/confirm/", {"digest": digest})

    assert response.status_code == 302
    analyses = Analysis.objects.order_by("method")
    assert [(a.method, [c["substance"] for c in a.components]) for a in analyses] == [
        ("gcms", ["mdma", "fentanyl"]), ("lcms", ["caffeine"])]
    assert analyses[1].components[0]["percent"] == 12.5
    assert Sample.objects.get().status == Sample.Status.TESTED


def confirm(client, text):
    digest = upload(client, text).context["form"].initial["digest"]
    return client.post("/checking/import/confirm/", {"digest": digest}, follow=True)


def test_importing_the_same_file_again_adds_nothing(mdma_pill, dana, client_as):
    sample, _code = mdma_pill
    client = client_as(dana)
    content = good_file(sample)
    confirm(client, content)

    assert "2 results were imported before and will be left as they are" in upload(client, content).content.decode()
    again = confirm(client, content)

    assert Analysis.objects.count() == 2
    assert "0 laboratory results imported. 2 results were imported before" in again.content.decode()


def test_a_confirmation_without_a_previewed_upload_imports_nothing(mdma_pill, dana, client_as):
    response = client_as(dana).post("/checking/import/confirm/", {"digest": "0" * 64})

    assert response["Location"] == "/checking/import/"
    assert not Analysis.objects.exists()


def test_an_unknown_substance_is_reported_by_row_and_nothing_is_imported(mdma_pill, dana, client_as):
    sample, _code = mdma_pill
    text = good_file(sample) + f"{sample.pk},GC-MS,unobtainium,minor,,LAB-0312,2026-03-02\n"

    response = upload(client_as(dana), text)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Row 5" in page and "unknown substance “unobtainium”" in page
    assert "Substances not in Haven" in page
    assert "Import</button>" not in page  # no way to import a file with problems
    assert not Analysis.objects.exists()


def test_a_forced_confirm_of_a_bad_file_imports_nothing(mdma_pill, dana, client_as):
    sample, _code = mdma_pill
    text = good_file(sample) + "999,GC-MS,heroin,major,,L,2026-03-02\n"
    client = client_as(dana)
    preview = upload(client, text)
    assert preview.status_code == 400

    response = client.post("/checking/import/confirm/", {"digest": preview.context["form"].initial["digest"],
                                                         "skip_bad_rows": "on"})

    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    assert "no sample number 999" in response.content.decode()
    assert not Analysis.objects.exists()


def test_every_bad_row_is_listed_with_what_is_wrong(mdma_pill, dana, client_as):
    sample, _code = mdma_pill
    text = ("sample,method,substance,abundance,percent,lot,date\n"
            f"abc,GC-MS,MDMA,major,,L,2026-03-02\n"
            f"{sample.pk},HPLC,MDMA,major,,L,2026-03-02\n"
            f"{sample.pk},GC-MS,MDMA,heaps,,L,2026-03-02\n"
            f"{sample.pk},GC-MS,MDMA,,250,L,02/03/2026\n"
            f"{sample.pk},GC-MS,MDMA,,,L,2026-03-02\n")

    page = upload(client_as(dana), text).content.decode()

    assert "Row 2: sample must be the sample number" in page
    assert "Row 3: method must be GC-MS, LC-MS or NMR" in page
    assert "Row 4: abundance must be major, minor or trace" in page
    assert "Row 5: percent must be a number from 0 to 100; date must be written like 2026-03-02" in page
    assert "Row 6: give the abundance" in page
    assert not Analysis.objects.exists()


def test_a_file_without_the_needed_columns_says_which_are_missing(dana, client_as, places):
    page = upload(client_as(dana), "id,compound\n1,MDMA\n").content.decode()
    assert "Missing columns: sample, method, substance" in page and "first row has: id, compound" in page


def test_a_file_that_is_not_text_is_refused(dana, client_as, places):
    response = client_as(dana).post("/checking/import/", {
        "file": SimpleUploadedFile("lab.csv", b"\x89PNG\x00\x00binary", "application/octet-stream")})
    assert response.status_code == 400
    assert "This is not a CSV text file" in response.content.decode()

    damaged = client_as(dana).post("/checking/import/", {
        "file": SimpleUploadedFile("lab.xlsx", b"PK\x03\x04\x00\x00binary", "application/octet-stream")})
    assert damaged.status_code == 400
    assert "The workbook could not be opened" in damaged.content.decode()


def test_a_laboratory_workbook_imports(mdma_pill, dana, client_as):
    import datetime
    import io

    from openpyxl import Workbook

    sample, _code = mdma_pill
    book = Workbook()
    book.active.append(["Sample", "Method", "Substance", "Abundance", "Date"])
    book.active.append([sample.pk, "GC-MS", "MDMA", "major", datetime.datetime(2026, 3, 2)])
    out = io.BytesIO()
    book.save(out)
    client = client_as(dana)

    preview = client.post("/checking/import/", {"file": SimpleUploadedFile("lab.xlsx", out.getvalue())})
    client.post("/checking/import/confirm/", {"digest": preview.context["form"].initial["digest"]})

    analysis = Analysis.objects.get()
    assert (analysis.method, analysis.components[0]["substance"]) == ("gcms", "mdma")


def test_a_file_over_5_mb_is_refused_with_a_clear_message(dana, client_as, places):
    content = b"sample,method,substance\n" + b"12,GC-MS,MDMA\n" * 450_000

    response = client_as(dana).post("/checking/import/", {"file": SimpleUploadedFile("lab.csv", content)})

    assert response.status_code == 413
    assert "The file is larger than 5 MB" in response.content.decode()


def test_a_coordinator_only_reaches_samples_she_can_see(places, bob, dana, client_as):
    # Coordinators see all sites, so a staff member's sample is importable by Dana; Bob cannot import at all.
    from haven.drugchecking import actions

    sample, _code = actions.sample_intake(actor=bob, site=places["fixed"], expected="heroin", form="powder")
    assert upload(client_as(dana), good_file(sample)).status_code == 200
    assert upload(client_as(bob), good_file(sample)).status_code == 403
