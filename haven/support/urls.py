from django.urls import path

from haven.support import views

urlpatterns = [
    path("", views.support_home, name="support-home"),
    path("oversight/", views.oversight, name="support-oversight"),
    path("report/", views.report, name="support-report"),
    path("report.csv", views.report_csv, name="support-report-csv"),
    path("my-plan/", views.plan_copy, name="support-plan-copy"),
    # Display ids are random and printable; a participant code never appears in a URL.
    path("<str:display_id>/", views.person, name="support-person"),
    path("<str:display_id>/goals/new/", views.goal_new, name="support-goal-new"),
    path("<str:display_id>/goals/<int:goal_id>/", views.goal_progress, name="support-goal-progress"),
    path("<str:display_id>/contacts/new/", views.contact_new, name="support-contact-new"),
    path("<str:display_id>/referrals/new/", views.referral_new, name="support-referral-new"),
    path("<str:display_id>/referrals/<int:referral_id>/", views.referral_status, name="support-referral-status"),
    path("<str:display_id>/referrals/<int:referral_id>/share/", views.referral_share, name="support-referral-share"),
    path("<str:display_id>/plans/<str:kind>/", views.safety_plan, name="support-safety-plan"),
    path("<str:display_id>/plans/<str:kind>/print/", views.safety_plan_print, name="support-safety-plan-print"),
    path("<str:display_id>/break-glass/", views.break_glass, name="support-break-glass"),
    path("<str:display_id>/sharing/", views.share, name="support-share"),
    path("<str:display_id>/withdraw/", views.withdraw, name="support-withdraw"),
    path("<str:display_id>/assign/", views.assign, name="support-assign"),
]
