"""The JSON API for machine clients, at /api/ (schema at /api/openapi.json).

Access is decided by AccessMiddleware from the permission matrix; the auth classes here declare
the schemes in the OpenAPI schema and hand the already-resolved user to each operation.
"""

from __future__ import annotations

from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError
from ninja.security import HttpBearer, django_auth

from haven.accounts.tokens import user_for_token
from haven.consumption.api import router as consumption_router
from haven.core.api import SIGNED_IN, errors, validation_error_body
from haven.directory.api import router as directory_router
from haven.drugchecking.api import router as drugchecking_router
from haven.education.api import router as education_router
from haven.encounters.api import router as encounters_router
from haven.housing.api import router as housing_router
from haven.inventory.api import router as inventory_router
from haven.offline.api import router as offline_router
from haven.participants.api import router as participants_router
from haven.places import queries as places_queries
from haven.reports.api import router as reports_router
from haven.support.api import router as support_router


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = getattr(request, "api_token_user", None) or user_for_token(token)
        return user


api = NinjaAPI(
    title="Haven API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), django_auth],
    docs_url="/docs",
)


@api.exception_handler(ValidationError)
def validation_error(request, error):
    """422 with the declared Error body (ninja's default puts a list where the schema says a string)."""
    return api.create_response(request, validation_error_body(error.errors), status=422)


class MeOut(Schema):
    username: str
    role: str
    sites: list[int]


class SiteOut(Schema):
    id: int
    name: str
    kind: str
    area_id: int | None
    active: bool


class AreaOut(Schema):
    id: int
    name: str
    kind: str
    code: str
    active: bool


@api.get("/me", response={200: MeOut, **errors(*SIGNED_IN)}, url_name="me",
         summary="The account this token or session belongs to")
def me(request):
    user = request.auth
    return {"username": user.username, "role": user.role, "sites": list(user.sites.values_list("pk", flat=True))}


@api.get("/sites", response={200: list[SiteOut], **errors(*SIGNED_IN)}, url_name="sites",
         summary="The program's sites")
def sites(request):
    return list(places_queries.sites_for(request.auth))


@api.get("/areas", response={200: list[AreaOut], **errors(*SIGNED_IN)}, url_name="areas",
         summary="The areas used for aggregate counts")
def areas(request):
    return list(places_queries.areas())


api.add_router("/participants", participants_router)
api.add_router("/encounters", encounters_router)
api.add_router("/stock", inventory_router)
api.add_router("/education", education_router)
api.add_router("/checking", drugchecking_router)
api.add_router("/reports", reports_router)
api.add_router("/consumption", consumption_router)
api.add_router("/directory", directory_router)
api.add_router("/support", support_router)
api.add_router("/housing", housing_router)
api.add_router("/offline", offline_router)
