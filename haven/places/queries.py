from haven.places.models import Area, Site


def sites_for(user):
    """Sites a person may see: all for admins and coordinators, their own for staff and peers."""
    queryset = Site.objects.select_related("area")
    if user.sees_all_sites:
        return queryset
    return queryset.filter(pk__in=user.sites.values("pk"))


def areas():
    return Area.objects.all()


def area_name_words() -> set[str]:
    """Every word of every area's name, in lower case: the personal-details screener must not take
    "Harbour Front" for a person's name."""
    from haven.core.screening import WORD

    words: set[str] = set()
    for name in Area.objects.values_list("name", flat=True):
        words.update(word.lower() for word in WORD.findall(name))
    return words
