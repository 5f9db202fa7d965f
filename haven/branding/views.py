"""The admin's branding page, and the brand's stylesheet and logo that every page links to.

AccessMiddleware has already checked the role (access.py)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from haven.branding import actions, colours, queries
from haven.branding.forms import BrandForm
from haven.branding.logo import MAX_BYTES, LogoError
from haven.core.forms import add_action_errors

_DIGEST = re.compile(r"^[0-9a-f]{64}$")
FOREVER = "public, max-age=31536000, immutable"


def brand_edit(request):
    program = queries.current_program(fresh=True)
    stored = queries.stored_brand()
    initial = {"name": program.name, "short_name": stored.short_name if stored else "",
               "main_colour": program.main_colour, "accent_colour": program.accent_colour}
    form = BrandForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["logo"] or None
        if upload is not None and upload.size > MAX_BYTES:
            # Refused before the body is read into memory; the action checks the size again.
            form.add_error("logo", actions.logo_problem(LogoError("too_large", size=upload.size, limit=MAX_BYTES)))
        else:
            try:
                notes = actions.brand_update(
                    actor=request.user, name=data["name"], short_name=data["short_name"],
                    main_colour=data["main_colour"], accent_colour=data["accent_colour"],
                    logo=upload.read() if upload is not None else None, remove_logo=data["remove_logo"],
                    adjust_colours=data["adjust_colours"], request=request)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                for note in notes:
                    messages.warning(request, note)
                messages.success(request, _("The program's brand is saved. Every page, card, report and e-mail "
                                            "uses it now."))
                return redirect("branding-edit")
    samples = [{"label": label, "colour": colour, "text": colours.text_on(colour)[0],
                "ratio": f"{colours.text_on(colour)[1]:.1f}"}
               for label, colour in ((_("Main colour"), program.main_colour),
                                     (_("Accent colour"), program.accent_colour)) if colour]
    return render(request, "branding/edit.html", {"form": form, "current": program, "samples": samples},
                  status=400 if form.errors else 200)


def _css(program: queries.Program) -> str:
    rules = []
    if program.main_colour:
        rules += [f"--header-bg: {program.main_colour};", f"--header-text: {program.main_text};",
                  f"--brand-main: {program.main_colour};", f"--on-brand-main: {program.main_text};"]
    if program.accent_colour:
        rules += [f"--brand-accent: {program.accent_colour};", f"--on-brand-accent: {program.accent_text};"]
    body = "\n  ".join(rules)
    # The same in dark mode: the colours are the program's, and their text was chosen for them.
    css = [f":root {{\n  {body}\n}}", f"@media (prefers-color-scheme: dark) {{\n  :root {{\n  {body}\n  }}\n}}"]
    if program.accent_colour:
        css.append(".site-header {\n  box-shadow: inset 0 -0.25rem 0 var(--brand-accent);\n}")
    if program.main_colour and program.main_text == colours.DARK_TEXT:
        # Haven's yellow focus ring is for dark headers; on a light one it would vanish.
        css.append(".site-header {\n  --focus: #1a1a1a;\n}\n.nav-toggle {\n  border-color: rgb(0 0 0 / 0.6);\n}")
    return "/* The program's colours, set on the branding page (haven/branding). */\n" + "\n".join(css) + "\n"


@require_GET
def brand_css(request):
    program = queries.current_program()
    response = HttpResponse(_css(program), content_type="text/css; charset=utf-8")
    # Linked with ?v=<version>: that address never changes its content, so it may be kept for good.
    response["Cache-Control"] = FOREVER if request.GET.get("v") == program.version else "no-cache"
    return response


@require_GET
def brand_logo(request, digest):
    if not _DIGEST.match(digest):
        raise Http404
    path = queries.logo_path(digest)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/png")
    response["Cache-Control"] = FOREVER  # the address is the content's digest
    response["Content-Disposition"] = 'inline; filename="logo.png"'
    return response
