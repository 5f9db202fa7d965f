"""Words shown for the knowledge base's codes (risk levels, directions, evidence), translated."""

from django.utils.translation import gettext_lazy as _

RISK = {
    "dangerous": _("Dangerous"),
    "unsafe": _("Unsafe"),
    "caution": _("Caution"),
    "low": _("Low risk"),
    "unknown": _("Unknown"),
}
DIRECTION = {
    "increase": _("Effects increase"),
    "none": _("No change in effects"),
    "decrease": _("Effects decrease"),
    "unknown": _("Not known"),
}
RELIABILITY = {
    "proven": _("Proven"),
    "inferred": _("Inferred from how the substances work"),
    "hypothetical": _("Hypothetical"),
    "unknown": _("Unknown"),
    "chart": _("A rating from TripSit's combination chart (no mechanism given)"),
}
NALOXONE = {
    "reverses": _("Naloxone reverses this substance."),
    "may-help": _("Naloxone may help; give it if breathing is slow."),
    "does-not-reverse": _("Naloxone does not reverse this substance, but give it if opioids may be involved: it does no harm."),
}
# Worst first; an unknown pair is listed before low risk so it is never mistaken for one.
ORDER = {"dangerous": 0, "unsafe": 1, "caution": 2, "unknown": 3, "low": 4}
