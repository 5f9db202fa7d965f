from django.urls import path

from haven.encounters import views

urlpatterns = [
    path("", views.encounter_list, name="encounters"),
    path("new/", views.encounter_new, name="encounter-new"),
    path("export.csv", views.encounter_export, name="encounters-export"),
    path("undo/", views.encounter_undo, name="encounter-undo"),
    path("<int:encounter_id>/", views.encounter_detail, name="encounter-detail"),
    path("<int:encounter_id>/void/", views.encounter_void, name="encounter-void"),
    path("<int:encounter_id>/correct/", views.encounter_correct, name="encounter-correct"),
]
