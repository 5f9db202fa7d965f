from django.urls import path

from haven.housing import views

urlpatterns = [
    path("", views.home, name="housing-home"),
    path("board/", views.board, name="housing-board"),
    path("available/", views.available, name="housing-available"),
    path("beds/<int:bed_id>/hold/", views.bed_hold, name="housing-bed-hold"),
    path("beds/<int:bed_id>/status/", views.bed_status, name="housing-bed-status"),
    path("holds/<int:hold_id>/end/", views.hold_end, name="housing-hold-end"),
    path("places/new/", views.property_edit, name="housing-property-new"),
    path("places/<int:property_id>/", views.property_edit, name="housing-property-edit"),
    path("report/", views.report, name="housing-report"),
    path("report.csv", views.report_csv, name="housing-report-csv"),
    path("report/template/<slug:slug>/", views.funder_report, name="housing-funder-report"),
    path("hmis/", views.hmis_export, name="housing-hmis-export"),
    path("my-steps/", views.my_steps, name="housing-my-steps"),
    # Display ids are random and printable; a participant code never appears in a URL.
    path("<str:display_id>/", views.person, name="housing-person"),
    path("<str:display_id>/status/", views.status_new, name="housing-status-new"),
    path("<str:display_id>/status/same/", views.status_same, name="housing-status-same"),
    path("<str:display_id>/journey/<slug:what>/", views.journey_step, name="housing-journey-step"),
    path("<str:display_id>/tasks/<int:task_id>/done/", views.task_done, name="housing-task-done"),
    path("<str:display_id>/flags/<int:flag_id>/resolve/", views.flag_resolve, name="housing-flag-resolve"),
    path("<str:display_id>/consent/", views.consent, name="housing-consent"),
]
