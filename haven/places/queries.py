from haven.places.models import Area, Site


def sites_for(user):
    """Sites a person may see: all for admins and coordinators, their own for staff and peers."""
    queryset = Site.objects.select_related("area")
    if user.sees_all_sites:
        return queryset
    return queryset.filter(pk__in=user.sites.values("pk"))


def areas():
    return Area.objects.all()
