from django.urls import path

from haven.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("i18n/setlang/", views.language_set, name="set_language"),
    path("account/", views.account, name="account"),
    path("account/password/", views.password_change, name="password-change"),
    path("account/two-factor/", views.two_factor_verify, name="two-factor-verify"),
    path("account/two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path("account/tokens/new/", views.api_token_create, name="api-token-create"),
    path("account/tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api-token-revoke"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/new/", views.staff_create, name="staff-create"),
    path("staff/unlock/", views.staff_unlock, name="staff-unlock"),
    path("staff/<int:user_id>/", views.staff_edit, name="staff-edit"),
    path("staff/<int:user_id>/reset-two-factor/", views.staff_reset_two_factor, name="staff-reset-two-factor"),
]
