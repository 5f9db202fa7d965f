# placeholder until the views land
def site_list(request, **kwargs):
    raise NotImplementedError


def site_create(request, **kwargs):
    raise NotImplementedError


def site_edit(request, **kwargs):
    raise NotImplementedError


def area_list(request, **kwargs):
    raise NotImplementedError


def area_create(request, **kwargs):
    raise NotImplementedError


def area_edit(request, **kwargs):
    raise NotImplementedError


