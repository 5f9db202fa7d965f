from django.conf import settings
from django.urls import NoReverseMatch, reverse

from haven.accounts.navigation import NAVIGATION


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        current = request.resolver_match.url_name if request.resolver_match else None
        for label, url_name, permission in NAVIGATION:
            if user.has_role_permission(permission):
                try:
                    items.append({"label": label, "url": reverse(url_name), "current": url_name == current})
                except NoReverseMatch:
                    continue
    return {"navigation": items, "program_name": settings.HAVEN_PROGRAM_NAME}
