from django.urls import include, path

from haven.api import api
from haven.core import views as core_views

urlpatterns = [
    path("", include("haven.accounts.urls")),
    path("places/", include("haven.places.urls")),
    path("participants/", include("haven.participants.urls")),
    path("encounters/import/", include("haven.encounters.import_urls")),
    path("encounters/", include("haven.encounters.urls")),
    path("stock/", include("haven.inventory.urls")),
    path("", include("haven.offline.urls")),
    path("alerts/", include("haven.alerts.urls")),
    path("overdose/", include("haven.overdose.urls")),
    path("consumption/", include("haven.consumption.urls")),
    path("learn/", include("haven.education.urls")),
    path("checking/", include("haven.drugchecking.urls")),
    path("reports/", include("haven.reports.urls")),
    path("directory/", include("haven.directory.urls")),
    path("support/", include("haven.support.urls")),
    path("branding/", include("haven.branding.urls")),
    path("retention/", include("haven.retention.urls")),
    path("housing/", include("haven.housing.urls")),
    path("rights/", include("haven.rights.urls")),
    path("audit/", core_views.audit_log, name="audit-log"),
    path("healthz", core_views.health, name="health"),
    path("api/", api.urls),
]

handler403 = "haven.core.views.forbidden"
handler404 = "haven.core.views.not_found"
handler500 = "haven.core.views.server_error"
