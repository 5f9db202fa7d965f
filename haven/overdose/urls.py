from django.urls import path

from haven.overdose import views

urlpatterns = [
    path("", views.report_list, name="overdose-reports"),
    path("new/", views.report_new, name="overdose-report-new"),
    path("<int:report_id>/", views.report_detail, name="overdose-report-detail"),
    path("import/", views.import_upload, name="overdose-import"),
    path("import/preview/", views.import_preview, name="overdose-import-preview"),
    path("import/confirm/", views.import_confirm, name="overdose-import-confirm"),
    path("settings/", views.settings_view, name="overdose-settings"),
    path("settings/detect/", views.detect_now, name="overdose-detect-now"),
    path("report/", views.public_report, name="overdose-public-report"),
    path("report/thanks/", views.public_thanks, name="overdose-public-thanks"),
]
