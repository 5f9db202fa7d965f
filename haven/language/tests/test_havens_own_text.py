"""Haven's own words pass its language checker: every template, doc and translation catalogue.

The same walk runs in CI through this test, so a new page or doc with stigmatizing wording fails
the build, not a later review.
"""

from pathlib import Path

from haven.language.cli import main

ROOT = Path(__file__).resolve().parents[3]


def havens_own_text() -> list[str]:
    paths = [ROOT / "README.md", ROOT / "docs"]
    for folder in sorted((ROOT / "haven").rglob("templates")):
        has_files = any(path.is_file() for path in folder.rglob("*"))
        if has_files and "language" not in folder.parts and "tests" not in folder.parts:
            paths.append(folder)
    paths.append(ROOT / "haven" / "locale")
    return [str(path) for path in paths if path.exists()]


def test_havens_templates_docs_and_translations_use_person_first_language(capsys):
    paths = havens_own_text()
    assert any(path.endswith("docs") for path in paths) and any("templates" in path for path in paths)
    status = main(["--format", "text", *paths])
    output = capsys.readouterr().out
    assert status == 0, output
