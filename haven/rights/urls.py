from django.urls import path

from haven.rights import views

urlpatterns = [
    path("", views.home, name="rights-home"),
    path("new/", views.report_new, name="rights-report-new"),
    path("reports/", views.reports, name="rights-reports"),
    path("reports/<int:report_id>/check/", views.report_check, name="rights-report-check"),
    path("advocacy/", views.advocacy, name="rights-advocacy"),
    path("advocacy.csv", views.advocacy_csv, name="rights-advocacy-csv"),
    path("advocacy/public-page/", views.public_page_toggle, name="rights-public-page-toggle"),
    path("warnings/", views.warnings, name="rights-warnings"),
    path("warnings/<int:warning_id>/", views.warning_detail, name="rights-warning-detail"),
    path("legal/", views.legal_list, name="rights-legal"),
    path("legal/new/", views.legal_new, name="rights-legal-new"),
    path("legal/<int:request_id>/", views.legal_detail, name="rights-legal-detail"),
    path("legal/<int:request_id>/produce/", views.legal_produce, name="rights-legal-produce"),
    path("legal/<int:request_id>/productions/<int:production_id>.csv", views.legal_production,
         name="rights-legal-production"),
    # Public: anonymous reports and warnings, and the counts when the program switches them on.
    path("report/", views.public_report, name="rights-public-report"),
    path("report/thanks/", views.public_thanks, name="rights-public-thanks"),
    path("report/thanks/help/", views.public_thanks_help, name="rights-public-thanks-help"),
    path("warn/", views.public_warning, name="rights-public-warning"),
    path("warn/thanks/", views.public_warning_thanks, name="rights-public-warning-thanks"),
    path("counts/", views.public_counts, name="rights-public-counts"),
]
