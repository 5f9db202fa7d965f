from django.urls import path

from haven.consumption import views

urlpatterns = [
    path("", views.board_index, name="consumption"),
    path("sites/<int:site_id>/", views.board, name="consumption-board"),
    path("sites/<int:site_id>/live/", views.board_live, name="consumption-board-live"),
    path("sites/<int:site_id>/check-in/", views.check_in, name="consumption-check-in"),
    path("sites/<int:site_id>/response/", views.response_new, name="consumption-response-new"),
    path("sites/<int:site_id>/booths/", views.booths_manage, name="consumption-booths"),
    path("stays/<int:stay_id>/check/", views.check, name="consumption-check"),
    path("stays/<int:stay_id>/check-out/", views.check_out, name="consumption-check-out"),
    path("booths/<int:booth_id>/close/", views.booth_close, name="consumption-booth-close"),
    path("spotting/", views.spotting, name="consumption-spotting"),
    path("spotting/live/", views.spotting_live, name="consumption-spotting-live"),
    path("spotting/new/", views.spotting_new, name="consumption-spotting-new"),
    path("spotting/settings/", views.spotting_settings, name="consumption-spotting-settings"),
    path("spotting/calls/<int:call_id>/", views.spotting_call, name="consumption-spotting-call"),
    path("spotting/calls/<int:call_id>/live/", views.spotting_call_live, name="consumption-spotting-call-live"),
    path("spotting/calls/<int:call_id>/check-in/", views.spotting_check_in, name="consumption-spotting-check-in"),
    path("spotting/calls/<int:call_id>/end/", views.spotting_end, name="consumption-spotting-end"),
    path("spotting/calls/<int:call_id>/again/", views.spotting_again, name="consumption-spotting-again"),
    path("spotting/escalations/<int:escalation_id>/", views.spotting_escalation,
         name="consumption-spotting-escalation"),
]
