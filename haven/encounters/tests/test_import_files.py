"""Reading an uploaded log: encodings, separators, and clear errors for files that are not logs."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haven.core import importing
from haven.core.importing import ImportFileError
from haven.encounters import imports


def read_table(name, content):
    """The table as rows of cells, the header first (as the encounter importer reads it)."""
    table = importing.read_table(name, content, max_bytes=imports.MAX_FILE_BYTES, max_rows=imports.MAX_ROWS)
    return [table.header] + [cells for _number, cells in table.rows]


def test_utf8_with_and_without_a_byte_order_mark():
    text = "date,site\n2024-03-01,Café Nord\n"

    assert read_table("log.csv", text.encode("utf-8"))[1] == ["2024-03-01", "Café Nord"]
    assert read_table("log.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))[0] == ["date", "site"]


def test_latin1_falls_back():
    assert read_table("log.csv", "date;site\n2024-03-01;Café Nord\n".encode("latin-1"))[1] == [
        "2024-03-01", "Café Nord"]


def test_tab_separated():
    assert read_table("log.txt", b"date\tsite\n2024-03-01\tNorth\n")[1] == ["2024-03-01", "North"]


@pytest.mark.parametrize(("name", "content", "words"), [
    ("log.csv", b"", "empty"),
    ("log.csv", b"\n\n , \n", "no rows"),
    ("log.pdf", b"%PDF-1.4 hello", "not a CSV or XLSX"),
    ("log.xls", b"\xd0\xcf\x11\xe0 old excel", "cannot be read"),
    ("log.csv", bytes(range(256)) * 4, "not a CSV text file"),
    ("log.xlsx", b"PK\x03\x04 not really a zip", "could not be opened"),
    ("log.csv", "date,site\n".encode("utf-16"), "not a CSV text file"),
])
def test_files_that_are_not_logs_get_a_clear_error(name, content, words):
    with pytest.raises(ImportFileError) as error:
        read_table(name, content)

    assert words in str(error.value)


def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(ImportFileError, match="larger than"):
        importing.read_table("log.csv", b"date,site\n" + b"2024-03-01,North\n" * 10, max_bytes=100)


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(dana, client_as):
    content = b"date,site\n" + b"2024-03-01,North drop-in\n" * (imports.MAX_FILE_BYTES // 24 + 10)
    assert len(content) > imports.MAX_FILE_BYTES

    response = client_as(dana).post("/encounters/import/", {"file": SimpleUploadedFile("log.csv", content)})

    assert response.status_code == 413
    assert "larger than 10 MB" in response.content.decode()
    assert "pending_import:encounters.import" not in client_as(dana).session


def test_the_upload_page_explains_a_bad_file(dana, client_as):
    response = client_as(dana).post("/encounters/import/", {"file": SimpleUploadedFile("log.csv", b"\x00\x01\x02")})

    assert response.status_code == 200
    assert "not a CSV text file" in response.content.decode()


def test_too_many_rows():
    content = io.StringIO()
    content.write("date,site\n" + "2024-03-01,North\n" * 4)

    with pytest.raises(ImportFileError, match="more than 3 rows"):
        importing.read_table("log.csv", content.getvalue().encode(), max_rows=3)
