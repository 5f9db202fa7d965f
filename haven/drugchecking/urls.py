from django.urls import path

from haven.drugchecking import views

urlpatterns = [
    path("", views.sample_list, name="drugchecking-samples"),
    path("new/", views.sample_new, name="drugchecking-sample-new"),
    path("<int:sample_id>/", views.sample_detail, name="drugchecking-sample"),
    path("<int:sample_id>/handover/", views.sample_handover, name="drugchecking-handover"),
    path("<int:sample_id>/strip/", views.strip_new, name="drugchecking-strip"),
    path("<int:sample_id>/reagent/", views.reagent_new, name="drugchecking-reagent"),
    path("<int:sample_id>/spectrometry/", views.spectrometry_new, name="drugchecking-spectrometry"),
    path("<int:sample_id>/laboratory/", views.laboratory_new, name="drugchecking-laboratory"),
    path("<int:sample_id>/review/", views.sample_review, name="drugchecking-review"),
    path("import/", views.import_upload, name="drugchecking-import"),
    path("import/confirm/", views.import_confirm, name="drugchecking-import-confirm"),
    path("result/", views.public_lookup, name="drugchecking-result"),
    path("market/", views.public_market, name="drugchecking-market"),
]
