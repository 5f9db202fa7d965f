from django.urls import path

from haven.places import views

urlpatterns = [
    path("sites/", views.site_list, name="sites"),
    path("sites/new/", views.site_create, name="site-create"),
    path("sites/<int:site_id>/", views.site_edit, name="site-edit"),
    path("areas/", views.area_list, name="areas"),
    path("areas/new/", views.area_create, name="area-create"),
    path("areas/<int:area_id>/", views.area_edit, name="area-edit"),
]
