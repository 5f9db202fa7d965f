from django.urls import path

from haven.offline import views

urlpatterns = [
    path("sw.js", views.service_worker, name="service-worker"),
    path("offline/", views.offline_page, name="offline-page"),
]
