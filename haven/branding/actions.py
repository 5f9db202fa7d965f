"""The one write of this app: the admin sets the program's name, short name, logo and colours."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven import conf
from haven.branding import colours, queries
from haven.branding.logo import MAX_BYTES, LogoError, clean_logo
from haven.branding.models import NAME_MAX, SHORT_NAME_MAX, Brand
from haven.core.audit import audit_record

PERMISSION = "branding.manage"
COLOUR_FIELDS = {"main_colour": gettext_lazy("main colour"), "accent_colour": gettext_lazy("accent colour")}


def logo_problem(error: LogoError) -> str:
    """What to tell the admin about a file that cannot be a logo."""
    params = error.params
    if error.code == "empty":
        return _("The file is empty. Choose the logo's image file.")
    if error.code == "too_large":
        return _("The file is %(size)s; a logo may be at most %(limit)s. Save it smaller (for example 512 pixels "
                 "wide) and upload it again.") % {"size": filesizeformat(params["size"]),
                                                  "limit": filesizeformat(params["limit"])}
    if error.code == "too_many_pixels":
        return _("The image has too many pixels to be a logo. Save it at most 5000 pixels wide and high.")
    if error.code == "too_small":
        return _("The image is %(width)s × %(height)s pixels; a logo needs at least %(minimum)s on each side.") % params
    if error.code == "format":
        return _("A logo must be a PNG, JPEG or WebP image.")
    return _("This file is not an image Haven can read. Upload a PNG, JPEG or WebP image (SVG is not accepted).")


def _colour(field: str, text: str, *, adjust: bool, errors: dict, notes: list) -> str:
    text = (text or "").strip()
    if not text:
        return ""
    try:
        colour = colours.parse(text)
    except colours.ColourError:
        errors[field] = [_("Write the colour as # and six hexadecimal digits, for example #13294b.")]
        return ""
    _text, ratio = colours.text_on(colour)
    if ratio >= colours.AA_TEXT:
        return colour
    nearest = colours.nearest_readable(colour)
    values = {"colour": colour, "ratio": f"{ratio:.1f}", "nearest": nearest, "field": COLOUR_FIELDS[field]}
    if adjust:
        notes.append(_("The %(field)s %(colour)s was changed to %(nearest)s: text on %(colour)s reaches only "
                       "%(ratio)s:1, and needs 4.5:1 to be readable.") % values)
        return nearest
    errors[field] = [_("Text on %(colour)s reaches only %(ratio)s:1 contrast; it needs 4.5:1 (WCAG AA) to be "
                       "readable. The nearest colour that reaches it is %(nearest)s: use it, or tick “Adjust "
                       "colours that are too light or too dark”.") % values]
    return ""


@transaction.atomic
def brand_update(*, actor, name: str, short_name: str = "", main_colour: str = "", accent_colour: str = "",
                 logo: bytes | None = None, remove_logo: bool = False, adjust_colours: bool = False,
                 request=None) -> list[str]:
    """Save the brand. Returns notes for the admin (a colour adjusted); ValidationError names each
    field's problem, and nothing is saved then. The logo is cleaned (logo.clean_logo) and kept in the
    data folder; the audit entry names the fields changed, and the logo only by its digest."""
    if actor is None or not actor.has_role_permission(PERMISSION):
        raise PermissionDenied(PERMISSION)
    errors: dict[str, list] = {}
    notes: list[str] = []
    name, short_name = " ".join((name or "").split()), " ".join((short_name or "").split())
    if not name:
        errors["name"] = [_("Give the program's name, as people know it.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("A name has at most %(count)s characters.") % {"count": NAME_MAX}]
    if len(short_name) > SHORT_NAME_MAX:
        errors["short_name"] = [_("A short name has at most %(count)s characters, to fit a phone's header.")
                                % {"count": SHORT_NAME_MAX}]
    main = _colour("main_colour", main_colour, adjust=adjust_colours, errors=errors, notes=notes)
    accent = _colour("accent_colour", accent_colour, adjust=adjust_colours, errors=errors, notes=notes)
    cleaned = None
    if logo is not None:
        if len(logo) > MAX_BYTES:
            errors["logo"] = [logo_problem(LogoError("too_large", size=len(logo), limit=MAX_BYTES))]
        else:
            try:
                cleaned = clean_logo(logo)
            except LogoError as error:
                errors["logo"] = [logo_problem(error)]
    if errors:
        raise ValidationError(errors)

    brand = Brand.objects.select_for_update().filter(pk=1).first() or Brand(pk=1)
    before = {"name": brand.name, "short_name": brand.short_name, "main_colour": brand.main_colour,
              "accent_colour": brand.accent_colour, "logo": brand.logo_digest}
    brand.name, brand.short_name, brand.main_colour, brand.accent_colour = name, short_name, main, accent
    if cleaned is not None:
        path = queries.logo_path(cleaned.digest)
        if not path.exists():
            conf.write_private_file(path, cleaned.png)
        brand.logo_digest, brand.logo_width, brand.logo_height = cleaned.digest, cleaned.width, cleaned.height
    elif remove_logo:
        brand.logo_digest, brand.logo_width, brand.logo_height = "", None, None
    after = {"name": brand.name, "short_name": brand.short_name, "main_colour": brand.main_colour,
             "accent_colour": brand.accent_colour, "logo": brand.logo_digest}
    changed = sorted(field for field in after if after[field] != before[field])
    brand.updated_at, brand.updated_by = timezone.now(), actor
    brand.save()
    # The brand is public (it is on every page): the audit entry may hold its values.
    audit_record(actor=actor, action="update", obj=brand, request=request,
                 detail={"fields": changed, "before": {field: before[field] for field in changed},
                         "after": {field: after[field] for field in changed}})
    transaction.on_commit(queries.forget_cached_program)
    return notes
