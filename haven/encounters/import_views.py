"""Importing a legacy encounter log: upload, preview, confirm (docs/IMPORT.md).

The uploaded file waits between the preview and the confirmation in the data folder, encrypted
with Haven's key (it may hold participant codes), for at most PENDING_MINUTES; the session only
knows its random name. Nothing about it is ever in a public place.
"""

from __future__ import annotations

import datetime
import re
import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import MemoryFileUploadHandler, SkipFile
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from haven import conf
from haven.core import crypto, keys
from haven.encounters import imports

SESSION_KEY = "encounter_import"
PENDING_MINUTES = 60
PREVIEW_ROWS = 20
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


COLUMN_HELP = {
    "date": gettext_lazy("Required. The day of the visit, as YYYY-MM-DD (for example 2024-03-31), or a date "
                         "cell. Never in the future."),
    "time": gettext_lazy("Optional. HH:MM. Without it, the visit is put at midday."),
    "site": gettext_lazy("Required. The name of one of your active sites, as Haven spells it (any case)."),
    "service_mode": gettext_lazy("Optional. fixed, mobile, outreach, mail or peer_delivery. Without it, the usual "
                                 "mode of the site."),
    "participant_code": gettext_lazy("Optional. The participant's code; empty for an anonymous visit. An unknown "
                                     "code is an error unless you choose to enrol unknown codes."),
    "supplies": gettext_lazy("Optional. Supply items or kits as name:quantity separated by semicolons, for "
                             "example: Alcohol pad:10; Naloxone kit:1"),
    "syringes_returned": gettext_lazy("Optional. A whole number."),
    "returns_estimated": gettext_lazy("Optional. yes or no."),
    "sharps_containers_returned": gettext_lazy("Optional. A whole number."),
    "secondary_people": gettext_lazy("Optional. How many other people the supplies are for."),
}


def column_rows() -> list[tuple[str, list[str], str]]:
    """(column, its other names, what to write) for the help table; "" stands for a catalog name."""
    rows = [(name, [other for other in synonyms if other != name], COLUMN_HELP[name])
            for name, synonyms in imports.COLUMN_SYNONYMS.items()]
    rows.insert(6, ("", [], gettext_lazy("Optional, one column per supply item or kit: the quantity given.")))
    return rows


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Encounter log (CSV or XLSX)"),
                           help_text=gettext_lazy("At most 10 MB. The first row names the columns."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}))
    enrol_unknown = forms.BooleanField(
        label=gettext_lazy("Enrol unknown codes"), required=False,
        help_text=gettext_lazy("A participant code that Haven does not know enrols a new participant. Without "
                               "this, an unknown code is an error."))


class ImportConfirmForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput)
    skip_bad_rows = forms.BooleanField(
        label=gettext_lazy("Skip the rows with errors and import the others"), required=False)


class _MemoryOnlyUpload(MemoryFileUploadHandler):
    """Keeps the upload in memory, never in a temporary file (it may hold participant codes), and
    drops it as soon as it passes the size limit."""

    too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = True

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > imports.MAX_FILE_BYTES:
            self.too_large = True
            raise SkipFile()
        return super().receive_data_chunk(raw_data, start)


# ---- The pending upload -------------------------------------------------------------------------


def _folder() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def _context(token: str) -> str:
    return f"encounter-import:{token}"


def _store(request, *, filename: str, content: bytes, enrol_unknown: bool) -> None:
    _discard(request)
    _remove_expired()
    token = secrets.token_urlsafe(24)
    sealed = keys.encryption_keyring().encrypt(crypto.b64encode(content), context=_context(token))
    conf.write_private_file(_folder() / f"{token}.upload", sealed.encode("ascii"))
    request.session[SESSION_KEY] = {
        "token": token, "filename": filename[-200:], "enrol_unknown": enrol_unknown,
        "uploaded_at": timezone.now().isoformat(),
    }


def _pending(request) -> dict | None:
    """The session's upload with its content, or None (none, expired or unreadable)."""
    pending = request.session.get(SESSION_KEY)
    if not pending or not TOKEN.match(str(pending.get("token", ""))):
        return None
    uploaded_at = datetime.datetime.fromisoformat(pending["uploaded_at"])
    path = _folder() / f"{pending['token']}.upload"
    if timezone.now() - uploaded_at > datetime.timedelta(minutes=PENDING_MINUTES) or not path.exists():
        _discard(request)
        return None
    try:
        sealed = path.read_text(encoding="ascii")
        content = crypto.b64decode(keys.encryption_keyring().decrypt(sealed, context=_context(pending["token"])))
    except (OSError, ValueError, crypto.DecryptionError):
        _discard(request)
        return None
    return {**pending, "content": content}


def _discard(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending and TOKEN.match(str(pending.get("token", ""))):
        (_folder() / f"{pending['token']}.upload").unlink(missing_ok=True)


def _remove_expired() -> None:
    """Uploads left behind by someone who never confirmed (a closed tab) go after PENDING_MINUTES."""
    folder = _folder()
    if not folder.is_dir():
        return
    cutoff = timezone.now().timestamp() - PENDING_MINUTES * 60
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue


# ---- Views --------------------------------------------------------------------------------------


@csrf_exempt  # checked by csrf_protect below, after the upload handler is chosen
def upload(request):
    handler = _MemoryOnlyUpload(request)
    request.upload_handlers = [handler]
    return _upload(request, handler)


@csrf_protect
def _upload(request, handler):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        valid = form.is_valid()
        if handler.too_large:
            # The handler dropped the file, so the form thinks none came: say what really happened.
            form.errors["file"] = form.error_class([
                _("The file is larger than %(size)s MB. Split it into smaller files.")
                % {"size": imports.MAX_FILE_BYTES // (1024 * 1024)}])
        elif valid:
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                imports.read_table(upload.name, content)
            except imports.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                _store(request, filename=upload.name, content=content,
                       enrol_unknown=form.cleaned_data["enrol_unknown"])
                return redirect("encounter-import-preview")
    return render(request, "encounters/import.html", {
        "form": form, "columns": column_rows(), "max_rows": imports.MAX_ROWS,
    })


def preview(request):
    pending = _pending(request)
    if pending is None:
        messages.info(request, _("Upload an encounter log to import. An upload waits at most %(minutes)s minutes "
                                 "for confirmation.") % {"minutes": PENDING_MINUTES})
        return redirect("encounter-import")
    try:
        check = imports.check_file(pending["filename"], pending["content"], actor=request.user,
                                   enrol_unknown=pending["enrol_unknown"])
    except imports.ImportFileError as error:
        _discard(request)
        messages.error(request, str(error))
        return redirect("encounter-import")
    return render(request, "encounters/import_preview.html", {
        "pending": pending,
        "check": check,
        "preview_rows": check.rows[:PREVIEW_ROWS],
        "form": ImportConfirmForm(initial={"digest": check.digest}),
    })


def confirm(request):
    if request.method != "POST":
        return redirect("encounter-import-preview")
    pending = _pending(request)
    if pending is None:
        messages.error(request, _("The upload has expired or was already imported. Upload the file again."))
        return redirect("encounter-import")
    form = ImportConfirmForm(request.POST)
    if not form.is_valid() or form.cleaned_data["digest"] != imports.file_digest(pending["content"]):
        messages.error(request, _("The file changed since its preview. Check the preview again."))
        return redirect("encounter-import-preview")
    try:
        result = imports.encounters_import(
            actor=request.user, filename=pending["filename"], content=pending["content"],
            enrol_unknown=pending["enrol_unknown"], skip_bad_rows=form.cleaned_data["skip_bad_rows"],
            request=request)
    except imports.ImportFileError as error:
        _discard(request)
        messages.error(request, str(error))
        return redirect("encounter-import")
    except imports.ImportRefused as refused:
        messages.error(request, refused.messages[0])
        return redirect("encounter-import-preview")
    _discard(request)
    messages.success(request, _imported_message(result))
    return redirect("encounter-import")


def _imported_message(result: imports.ImportResult) -> str:
    parts = [ngettext("%(count)s visit imported.", "%(count)s visits imported.", result.created)
             % {"count": result.created}]
    if result.already_imported:
        parts.append(ngettext("%(count)s visit was already imported and was left as it was.",
                              "%(count)s visits were already imported and were left as they were.",
                              result.already_imported) % {"count": result.already_imported})
    if result.enrolled:
        parts.append(ngettext("%(count)s participant enrolled.", "%(count)s participants enrolled.",
                              result.enrolled) % {"count": result.enrolled})
    if result.skipped_rows:
        parts.append(ngettext("%(count)s row with errors skipped.", "%(count)s rows with errors skipped.",
                              len(result.skipped_rows)) % {"count": len(result.skipped_rows)})
    return " ".join(parts)
