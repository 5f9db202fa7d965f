"""The catalogues are current: every string marked for translation in the code is in the Spanish and
French catalogues (translated or not yet), so CI fails as soon as a new string has no entry.

``makemessages`` runs on a temporary copy of the package (it rewrites the catalogues it finds, and
the real ones must not change under a test) and keeps the template it extracted (``--keep-pot``);
each msgid of that template must be in haven/locale/<language>/LC_MESSAGES/django.po.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

HAVEN = Path(__file__).resolve().parents[2]
# Every language offered but the one the code is written in.
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
# The same folders makemessages is told to skip: tests (their strings are never shown), vendored code.
IGNORE = ("tests", "node_modules", "static/vendor", "testing/vendor")


def needs_gettext():
    missing = [tool for tool in ("xgettext", "msgmerge", "msguniq") if shutil.which(tool) is None]
    if missing:
        message = f"GNU gettext is not installed ({', '.join(missing)}): apt-get install gettext"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def po_entries(path: Path) -> dict[tuple[str, str], list[str]]:
    """(msgctxt, msgid) -> the source references, for each entry of a .po/.pot file (obsolete ones left out)."""
    entries, references, fields, current = {}, [], {}, None

    def flush():
        nonlocal references, fields
        if fields.get("msgid"):
            entries[(fields.get("msgctxt", ""), fields["msgid"])] = references
        references, fields = [], {}

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#:"):
            if "msgid" in fields:
                flush()
            references += line[2:].split()
        elif line.startswith("#") or not line.strip():
            if "msgid" in fields and (not line.strip() or line.startswith("#~")):
                flush()
            current = None
        elif line.startswith(("msgctxt ", "msgid ", "msgid_plural ", "msgstr")):
            keyword, _, rest = line.partition(" ")
            if keyword == "msgctxt" and "msgid" in fields:
                flush()
            current = keyword if keyword in ("msgctxt", "msgid") else None
            if current:
                fields[current] = _unquote(rest)
        elif line.startswith('"') and current:
            fields[current] += _unquote(line)
    flush()
    return entries


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m[1], m[0]), text.strip()[1:-1])


def extracted_template(tmp_path: Path) -> Path:
    copy = tmp_path / "haven"
    shutil.copytree(HAVEN, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "node_modules"))
    command = [sys.executable, "-m", "django", "makemessages", "--keep-pot", "--no-wrap",
               *[f"--locale={language}" for language in LANGUAGES],
               *[f"--ignore={pattern}" for pattern in IGNORE], "--ignore=*/tests/*"]
    # No settings: makemessages then writes only into the copy's own locale/ folder.
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    finished = subprocess.run(command, cwd=copy, env=environment, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    return copy / "locale" / "django.pot"


def test_every_string_in_the_code_is_in_the_spanish_and_french_catalogues(tmp_path):
    needs_gettext()
    before = {language: (HAVEN / "locale" / language / "LC_MESSAGES" / "django.po").read_bytes()
              for language in LANGUAGES}
    wanted = po_entries(extracted_template(tmp_path))
    assert len(wanted) > 500, "makemessages found too few strings: is the copy complete?"
    report = []
    for language in LANGUAGES:
        catalogue = HAVEN / "locale" / language / "LC_MESSAGES" / "django.po"
        assert catalogue.read_bytes() == before[language], "the real catalogue must not change"
        present = po_entries(catalogue)
        missing = sorted(key for key in wanted if key not in present)
        if missing:
            report.append(f"{catalogue.relative_to(HAVEN.parent)}: {len(missing)} of {len(wanted)} strings "
                          "in the code are missing; run makemessages and translate them:")
            report += [f"  {(context + ' | ') if context else ''}{msgid!r}  ({', '.join('haven/' + where for where in wanted[(context, msgid)][:2])})"
                       for context, msgid in missing]
    assert not report, "\n".join(report)


def test_the_reader_sees_contexts_plurals_and_multiline_msgids(tmp_path):
    sample = tmp_path / "sample.po"
    sample.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                      '#: haven/a.py:1\nmsgctxt "menu"\nmsgid "Drug checking"\nmsgstr ""\n\n'
                      '#: haven/b.html:2\n#, python-format\nmsgid ""\n"Two "\n"lines: “ñ” \\"q\\"\\n"\nmsgstr "x"\n\n'
                      '#: haven/c.py:3\nmsgid "One visit"\nmsgid_plural "%(n)s visits"\nmsgstr[0] ""\nmsgstr[1] ""\n\n'
                      '#~ msgid "Gone"\n#~ msgstr "Parti"\n', encoding="utf-8")
    assert po_entries(sample) == {("menu", "Drug checking"): ["haven/a.py:1"],
                                  ("", 'Two lines: “ñ” "q"\n'): ["haven/b.html:2"],
                                  ("", "One visit"): ["haven/c.py:3"]}
