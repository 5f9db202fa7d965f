from django.urls import path

from haven.education import views

urlpatterns = [
    path("", views.substance_list, name="education-substances"),
    path("substances/<slug:substance_id>/", views.substance_detail, name="education-substance"),
    path("interactions/", views.interactions, name="education-interactions"),
    path("interactions/suggest/", views.interaction_suggestions, name="education-interaction-suggestions"),
]
