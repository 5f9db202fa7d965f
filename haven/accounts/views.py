# placeholder until the views land
def home(request, **kwargs):
    raise NotImplementedError


def login(request, **kwargs):
    raise NotImplementedError


def logout(request, **kwargs):
    raise NotImplementedError


def account(request, **kwargs):
    raise NotImplementedError


def password_change(request, **kwargs):
    raise NotImplementedError


def two_factor_verify(request, **kwargs):
    raise NotImplementedError


def two_factor_setup(request, **kwargs):
    raise NotImplementedError


def api_token_create(request, **kwargs):
    raise NotImplementedError


def api_token_revoke(request, **kwargs):
    raise NotImplementedError


def staff_list(request, **kwargs):
    raise NotImplementedError


def staff_create(request, **kwargs):
    raise NotImplementedError


def staff_edit(request, **kwargs):
    raise NotImplementedError


def staff_reset_two_factor(request, **kwargs):
    raise NotImplementedError


