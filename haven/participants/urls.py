from django.urls import path

from haven.participants import views

urlpatterns = [
    path("", views.participant_list, name="participants"),
    path("lookup/", views.participant_lookup, name="participant-lookup"),
    path("enrol/", views.participant_enroll, name="participant-enroll"),
    path("merge/", views.participant_merge, name="participant-merge"),
    path("scan/", views.participant_scan, name="participant-scan"),
    # Display ids are random and printable; a participant code never appears in a URL.
    path("<str:display_id>/", views.participant_detail, name="participant-detail"),
    path("<str:display_id>/card/", views.participant_card, name="participant-card"),
    path("<str:display_id>/consent/", views.participant_consent, name="participant-consent"),
]
