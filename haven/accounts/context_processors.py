from django.urls import NoReverseMatch, reverse

from haven.accounts.navigation import NAVIGATION, PUBLIC_NAVIGATION, PUBLIC_SECTIONS, group_of


def _fully_signed_in(user) -> bool:
    """Past the second factor, or with none to pass."""
    from django_otp import user_has_device

    # A user resolved from an API token was never seen by django-otp's middleware.
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return True
    if user.requires_two_factor:
        return False
    return not user_has_device(user)


def public_navigation(current: str | None) -> list[dict]:
    section = PUBLIC_SECTIONS.get(current, current)
    items = []
    for label, url_name in PUBLIC_NAVIGATION:
        try:
            items.append({"label": label, "url": reverse(url_name), "current": url_name == section,
                          "page": url_name == current})
        except NoReverseMatch:
            continue
    return items


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    resolver_match = getattr(request, "resolver_match", None)
    current = resolver_match.url_name if resolver_match else None
    if user is not None and user.is_authenticated:
        for label, url_name, permission in NAVIGATION:
            if user.has_role_permission(permission):
                try:
                    items.append({"label": label, "url": reverse(url_name), "current": url_name == current,
                                  "group": group_of(url_name)})
                except NoReverseMatch:
                    continue
    # The offline queue and its service worker serve people who log visits, once fully signed in:
    # never on the second-factor pages, where a half-signed-in session has nothing to cache.
    offline_enabled = bool(
        user is not None and user.is_authenticated and user.has_role_permission("encounters.record")
        and _fully_signed_in(user)
    )
    signed_in = user is not None and user.is_authenticated
    return {"navigation": items, "offline_enabled": offline_enabled,
            "public_navigation": [] if signed_in else public_navigation(current),
            "navigation_groups": {group: [item for item in items if item["group"] == group]
                                  for group in ("main", "more", "account")}}
