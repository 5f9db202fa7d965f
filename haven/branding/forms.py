from django import forms
from django.utils.translation import gettext_lazy as _

from haven.branding.logo import MAX_BYTES
from haven.branding.models import NAME_MAX, SHORT_NAME_MAX

COLOUR_HELP = _("Written as # and six hexadecimal digits. Text on it (white or dark, whichever reads better) must "
                "reach 4.5:1 contrast.")


class BrandForm(forms.Form):
    name = forms.CharField(label=_("Program name"), max_length=NAME_MAX,
                           help_text=_("On every page, participant cards, reports and e-mails."))
    short_name = forms.CharField(label=_("Short name"), max_length=SHORT_NAME_MAX, required=False,
                                 help_text=_("In the header, where space is short. Empty: the program name."))
    logo = forms.FileField(label=_("Logo"), required=False,
                           widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
                           help_text=_("PNG, JPEG or WebP, at most %(size)s MB. Haven redraws it as a PNG of at "
                                       "most 512 pixels and keeps none of the file's metadata (camera, place, "
                                       "author).") % {"size": MAX_BYTES // (1024 * 1024)})
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    main_colour = forms.CharField(label=_("Main colour (header)"), max_length=20, required=False,
                                  widget=forms.TextInput(attrs={"placeholder": "#13294b", "spellcheck": "false",
                                                                "autocomplete": "off"}),
                                  help_text=COLOUR_HELP)
    accent_colour = forms.CharField(label=_("Accent colour (bands on cards, reports and public pages)"),
                                    max_length=20, required=False,
                                    widget=forms.TextInput(attrs={"placeholder": "#b34700", "spellcheck": "false",
                                                                  "autocomplete": "off"}),
                                    help_text=COLOUR_HELP)
    adjust_colours = forms.BooleanField(label=_("Adjust colours that are too light or too dark to the nearest "
                                                "readable one"), required=False)
