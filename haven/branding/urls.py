from django.urls import path

from haven.branding import views

urlpatterns = [
    path("", views.brand_edit, name="branding-edit"),
    path("brand.css", views.brand_css, name="branding-css"),
    path("logo-<str:digest>.png", views.brand_logo, name="branding-logo"),
]
