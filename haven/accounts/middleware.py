"""AccessMiddleware: the one place where the permission matrix is enforced."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

from haven.accounts import permissions
from haven.accounts.tokens import user_for_bearer_header

logger = logging.getLogger(__name__)


def is_api_request(request) -> bool:
    return request.path.startswith("/api/")


class AccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        view_name = match.view_name if match else None
        rule = permissions.rule_for(view_name, request.method)
        api = is_api_request(request)
        if rule is None:
            logger.error("Refused %s %s: the URL is not in the permission matrix", request.method, view_name)
            return self._deny(request, api)
        if api and "HTTP_AUTHORIZATION" in request.META:
            token_user = user_for_bearer_header(request.META["HTTP_AUTHORIZATION"])
            if token_user is None:
                return JsonResponse({"detail": _("The API token is not valid.")}, status=401)
            # A machine client with a token is already past two-factor: tokens are made in a
            # verified session.
            request.user = token_user
            request.api_token_user = token_user
        if rule == permissions.PUBLIC:
            return None
        user = request.user
        if not user.is_authenticated:
            if api:
                return JsonResponse({"detail": _("Sign in or send an API token.")}, status=401)
            return redirect_to_login(request.get_full_path())
        if rule != permissions.SIGNED_IN and not getattr(request, "api_token_user", None):
            if not user.is_verified() and (user.requires_two_factor or user_has_device(user)):
                # Required for some roles; and whoever chose to set a second factor up gets
                # its protection too, not only a prompt that another URL could skip.
                if api:
                    return JsonResponse({"detail": _("Two-factor authentication is required.")}, status=401)
                return redirect(f"{reverse('two-factor-verify')}?{urlencode({'next': request.get_full_path()})}")
        if not permissions.user_may(user, rule):
            return self._deny(request, api)
        return None

    @staticmethod
    def _deny(request, api):
        if api:
            return JsonResponse({"detail": _("You do not have permission to do this.")}, status=403)
        return HttpResponseForbidden(render_to_string("403.html", request=request))
