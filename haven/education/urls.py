from django.urls import path

from haven.education import views

urlpatterns = [
    path("", views.substance_list, name="education-substances"),
    path("substances/<slug:substance_id>/", views.substance_detail, name="education-substance"),
    path("interactions/", views.interactions, name="education-interactions"),
    path("interactions/suggest/", views.interaction_suggestions, name="education-interaction-suggestions"),
    path("edit/", views.sheet_editor_list, name="education-sheet-editor"),
    path("edit/<slug:substance_id>/", views.sheet_edit, name="education-sheet-edit"),
    path("edit/versions/<int:version_id>/", views.sheet_version, name="education-sheet-version"),
    path("edit/versions/<int:version_id>/export/", views.sheet_version_export, name="education-sheet-export"),
    path(
        "edit/versions/<int:version_id>/<slug:step>/", views.sheet_version_action, name="education-sheet-step"
    ),
]
