from django.urls import path

from haven.directory import views

urlpatterns = [
    path("", views.public_directory, name="directory-public"),
    path("services/<uuid:service_id>/", views.public_service, name="directory-service-public"),
    path("export/", views.export_package, name="directory-export"),
    path("staff/", views.staff_directory, name="directory-staff"),
    path("staff/new/", views.service_edit, name="directory-service-new"),
    path("staff/<uuid:service_id>/", views.service_edit, name="directory-service-edit"),
    path("staff/<uuid:service_id>/availability/", views.availability, name="directory-availability"),
    path("staff/import/", views.import_package, name="directory-import"),
    path("staff/partners/", views.partners, name="directory-partners"),
]
