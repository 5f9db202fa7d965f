from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from haven.core.models import AuditEvent


def health(request):
    """For uptime monitors: says whether the database answers, and nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def audit_log(request):
    events = AuditEvent.objects.order_by("-sequence")[:200]
    return render(request, "core/audit_log.html", {"events": events})


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No request context: the session or database may be what failed.
    return HttpResponseServerError(render_to_string("500.html"))
