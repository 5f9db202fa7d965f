from django.urls import path

from haven.encounters import import_views

urlpatterns = [
    path("", import_views.upload, name="encounter-import"),
    path("preview/", import_views.preview, name="encounter-import-preview"),
    path("confirm/", import_views.confirm, name="encounter-import-confirm"),
]
