from django.urls import path

from haven.retention import views

urlpatterns = [
    path("", views.retention_page, name="retention"),
    path("set/", views.retention_set_view, name="retention-set"),
    path("holds/new/", views.hold_new, name="retention-hold"),
    path("holds/<int:hold_id>/release/", views.hold_release_view, name="retention-release"),
    path("run/", views.run_now, name="retention-run"),
]
