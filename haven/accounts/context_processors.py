from django.urls import NoReverseMatch, reverse

from haven.accounts.navigation import NAVIGATION, group_of


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


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        current = request.resolver_match.url_name if request.resolver_match else None
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
    return {"navigation": items, "offline_enabled": offline_enabled,
            "navigation_groups": {group: [item for item in items if item["group"] == group]
                                  for group in ("main", "more", "account")}}
