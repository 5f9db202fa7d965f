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
]
