"""Importing a legacy encounter log: upload, preview, confirm (docs/IMPORT.md).

Thin: the shared pipeline (`haven.core.importing`) receives the upload, keeps it encrypted
between the preview and the confirmation, checks it with the `EncounterLog` schema and commits.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from haven.core import importing
from haven.encounters import imports
from haven.encounters.imports import EncounterLog

PREVIEW_ROWS = 20


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


# ---- Views --------------------------------------------------------------------------------------


@importing.receive_upload(imports.MAX_FILE_BYTES)
def upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.upload_too_large:
        form = ImportUploadForm()
        form.errors["file"] = form.error_class([importing.too_large_message(imports.MAX_FILE_BYTES)])
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            importing.read_table(upload.name, content, max_bytes=imports.MAX_FILE_BYTES, max_rows=imports.MAX_ROWS)
        except importing.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            importing.pending_save(request, EncounterLog.name, filename=upload.name, content=content,
                                   options={"enrol_unknown": form.cleaned_data["enrol_unknown"]})
            return redirect("encounter-import-preview")
    return render(request, "encounters/import.html", {
        "form": form, "columns": column_rows(), "max_rows": imports.MAX_ROWS,
    }, status=413 if request.upload_too_large else 200)


def _check(request, pending):
    table = importing.read_table(pending.filename, pending.content, max_bytes=imports.MAX_FILE_BYTES,
                                 max_rows=imports.MAX_ROWS)
    schema = EncounterLog(actor=request.user, **pending.options)
    return table, schema


def preview(request):
    pending = importing.pending_load(request, EncounterLog.name)
    if pending is None:
        messages.info(request, _("Upload an encounter log to import. An upload waits at most %(minutes)s minutes "
                                 "for confirmation.") % {"minutes": importing.PENDING_MINUTES})
        return redirect("encounter-import")
    try:
        table, schema = _check(request, pending)
    except importing.ImportFileError as error:
        importing.pending_discard(request, EncounterLog.name)
        messages.error(request, str(error))
        return redirect("encounter-import")
    check = importing.import_check(schema, table)
    return render(request, "encounters/import_preview.html", {
        "pending": pending,
        "check": check,
        "preview_rows": check.rows[:PREVIEW_ROWS],
        "form": ImportConfirmForm(initial={"digest": check.digest}),
    })


def confirm(request):
    if request.method != "POST":
        return redirect("encounter-import-preview")
    pending = importing.pending_load(request, EncounterLog.name)
    if pending is None:
        messages.error(request, _("The upload has expired or was already imported. Upload the file again."))
        return redirect("encounter-import")
    form = ImportConfirmForm(request.POST)
    if not form.is_valid() or form.cleaned_data["digest"] != pending.digest:
        messages.error(request, _("The file changed since its preview. Check the preview again."))
        return redirect("encounter-import-preview")
    try:
        table, schema = _check(request, pending)
        result = importing.import_commit(schema, table, skip_bad_rows=form.cleaned_data["skip_bad_rows"],
                                         request=request)
    except importing.ImportFileError as error:
        importing.pending_discard(request, EncounterLog.name)
        messages.error(request, str(error))
        return redirect("encounter-import")
    except importing.ImportRefused as refused:
        messages.error(request, refused.messages[0])
        return redirect("encounter-import-preview")
    importing.pending_discard(request, EncounterLog.name)
    messages.success(request, _imported_message(result))
    return redirect("encounter-import")


def _imported_message(result: importing.ImportResult) -> str:
    parts = [ngettext("%(count)s visit imported.", "%(count)s visits imported.", result.created)
             % {"count": result.created}]
    if result.already_imported:
        parts.append(ngettext("%(count)s visit was already imported and was left as it was.",
                              "%(count)s visits were already imported and were left as they were.",
                              result.already_imported) % {"count": result.already_imported})
    enrolled = result.detail.get("enrolled", 0)
    if enrolled:
        parts.append(ngettext("%(count)s participant enrolled.", "%(count)s participants enrolled.",
                              enrolled) % {"count": enrolled})
    if result.skipped_rows:
        parts.append(ngettext("%(count)s row with errors skipped.", "%(count)s rows with errors skipped.",
                              len(result.skipped_rows)) % {"count": len(result.skipped_rows)})
    return " ".join(parts)
