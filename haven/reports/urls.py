from django.urls import path

from haven.reports import views

urlpatterns = [
    path("", views.dashboard, name="reports-dashboard"),
    path("templates/", views.template_list, name="reports-templates"),
    path("templates/new/", views.template_new, name="reports-template-new"),
    path("templates/<slug:slug>/delete/", views.template_delete, name="reports-template-delete"),
    path("open-data/", views.open_data, name="reports-open-data"),
    path("indicators/", views.indicator_definitions, name="reports-indicators"),
    path("<slug:slug>/", views.report_view, name="reports-report"),
    path("<slug:slug>/export/<str:file_format>/", views.report_export, name="reports-export"),
]
