"""Alerts: the public page, subscriptions, and the staff's review and publishing pages.

Who may open each page is decided by the permission matrix (access.py).
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from haven.alerts import actions, links, queries
from haven.alerts.forms import (
    AlertForm,
    DismissForm,
    PublishForm,
    SubscribeForm,
    WebhookEditForm,
    WebhookForm,
)
from haven.alerts.models import Alert, Delivery, Subscriber, Webhook
from haven.core import ratelimit
from haven.core.forms import add_action_errors

# Public ---------------------------------------------------------------------------------------------


def public_list(request):
    alerts = list(queries.public_alerts())
    return render(request, "alerts/public_list.html", {
        "alerts": alerts,
        "last_updated": max((alert.updated_at for alert in alerts), default=None),
    })


def public_detail(request, alert_id):
    alert = queries.public_alert(alert_id)
    if alert is None:
        raise Http404
    return render(request, "alerts/public_detail.html", {"alert": alert, "is_current": alert.is_public()})


def subscribe(request):
    form = SubscribeForm(request.POST or None)
    status, retry_after = 200, None
    if request.method == "POST":
        if form.is_valid():
            if not form.looks_automated:
                try:
                    actions.subscriber_subscribe(email=form.cleaned_data["email"], areas=form.cleaned_data["areas"],
                                                 base_url=links.public_base_url(request),
                                                 client=ratelimit.client_of(request))
                except ratelimit.RateLimited as limited:
                    status, retry_after = 429, limited.retry_after
                    form.add_error(None, _("Too many subscription requests from this connection in the last hour. "
                                           "Please try again later.") if limited.scope == "client" else
                                   _("Too many subscription requests in the last hour. Please try again later."))
                except ValidationError as error:
                    add_action_errors(form, error)
            if not form.errors:
                return render(request, "alerts/subscribe_sent.html")
        form.fresh_copy()
    response = render(request, "alerts/subscribe.html", {"form": form}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def subscribe_confirm(request):
    token = request.GET.get("token") or request.POST.get("token") or ""
    subscriber = links.subscriber_for_confirm_token(token)
    if subscriber is None:
        return render(request, "alerts/link_invalid.html", status=400)
    if request.method == "POST":
        actions.subscriber_confirm(subscriber=subscriber)
        return render(request, "alerts/subscribe_confirmed.html")
    # A button, not the GET itself: mail scanners open links, and must not subscribe anyone.
    return render(request, "alerts/subscribe_confirm.html", {
        "token": token, "confirmed": subscriber.status == Subscriber.Status.CONFIRMED})


@csrf_exempt  # One-click unsubscribe from a mail program (RFC 8058) has no CSRF token; the signed token is the proof.
def unsubscribe(request):
    token = request.GET.get("token") or request.POST.get("token") or ""
    subscriber = links.subscriber_for_unsubscribe_token(token)
    if request.method == "POST":
        if subscriber is not None:
            actions.subscriber_unsubscribe(subscriber=subscriber)
        # Unsubscribing twice is fine: the address is gone either way.
        return render(request, "alerts/unsubscribed.html")
    if subscriber is None:
        return render(request, "alerts/unsubscribed.html")
    return render(request, "alerts/unsubscribe.html", {"token": token})


# Staff: review and publish --------------------------------------------------------------------------


def drafts(request):
    chosen = {name: request.GET.get(name, "") for name in ("severity", "source_kind", "status")}
    return render(request, "alerts/drafts.html", {
        "alerts": queries.alerts_for_review(**chosen), "chosen": chosen,
        "severities": Alert.Severity.choices, "sources": Alert.SourceKind.choices,
        "statuses": [(Alert.Status.DRAFT, Alert.Status.DRAFT.label), (Alert.Status.REVIEWED, Alert.Status.REVIEWED.label)],
        "recent": queries.recent_closed_alerts(),
        "can_manage": request.user.has_role_permission("alerts.manage"),
    })


@require_POST
def alerts_bulk_dismiss(request):
    alerts = queries.alerts_for_review().filter(pk__in=[value for value in request.POST.getlist("alert")
                                                        if value.isdigit()])
    try:
        dismissed = actions.alerts_dismiss(actor=request.user, alerts=alerts, reason=request.POST.get("reason", ""),
                                           request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, ngettext("%(count)s alert dismissed.", "%(count)s alerts dismissed.",
                                           len(dismissed)) % {"count": len(dismissed)})
    return redirect("alerts-drafts")


def alert_new(request):
    form = AlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            alert = actions.alert_create(actor=request.user, request=request, title=data["title"], body=data["body"],
                                         severity=data["severity"], substances=data["substances"],
                                         areas=data["areas"], expires_at=data["expires_at"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Draft saved. Check it, then publish it."))
            return redirect("alert-edit", alert_id=alert.pk)
    return render(request, "alerts/alert_form.html", {"form": form, "alert": None})


def _open_alert(alert_id) -> Alert:
    return get_object_or_404(Alert.objects.select_related("created_by", "reviewed_by", "published_by",
                                                          "dismissed_by", "language_override_by"), pk=alert_id)


def alert_edit(request, alert_id):
    alert = _open_alert(alert_id)
    form = AlertForm(request.POST or None, alert=alert)
    if request.method == "POST" and alert.is_open and form.is_valid():
        try:
            actions.alert_update(actor=request.user, alert=alert, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            if request.POST.get("then") == "publish":
                return redirect("alert-publish", alert_id=alert.pk)
            messages.success(request, _("Alert saved."))
            return redirect("alert-edit", alert_id=alert.pk)
    return render(request, "alerts/alert_form.html", {
        "form": form, "alert": alert,
        "findings": queries.language_findings(title=alert.title, body=alert.body) if alert.is_open else [],
        "deliveries": _delivery_summary(alert),
    })


def _delivery_summary(alert):
    rows = {}
    for delivery in alert.deliveries.all().only("channel", "status"):
        key = (delivery.get_channel_display(), delivery.get_status_display())
        rows[key] = rows.get(key, 0) + 1
    return [{"channel": c, "status": s, "count": n} for (c, s), n in sorted(rows.items())]


@require_POST
def alert_review(request, alert_id):
    alert = _open_alert(alert_id)
    try:
        actions.alert_review(actor=request.user, alert=alert, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Marked as reviewed."))
    return redirect("alert-edit", alert_id=alert.pk)


def alert_publish(request, alert_id):
    alert = _open_alert(alert_id)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.alert_publish(actor=request.user, alert=alert, request=request,
                                  override_reason=form.cleaned_data["override_reason"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Published. E-mails and webhooks are on their way."))
            return redirect("alert-detail", alert_id=alert.pk)
    return render(request, "alerts/alert_publish.html", {
        "alert": alert, "form": form,
        "findings": queries.language_findings(title=alert.title, body=alert.body),
        "identifying": queries.identifying_details(title=alert.title, body=alert.body, substances=alert.substances),
        "subscriber_count": queries.subscriber_counts()["confirmed"],
        "webhook_count": Webhook.objects.filter(active=True).count(),
    })


def alert_dismiss(request, alert_id):
    alert = _open_alert(alert_id)
    form = DismissForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.alert_dismiss(actor=request.user, alert=alert, request=request, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Alert dismissed. It will not be published."))
            return redirect("alerts-drafts")
    return render(request, "alerts/alert_dismiss.html", {"alert": alert, "form": form})


@require_POST
def alert_expire(request, alert_id):
    alert = _open_alert(alert_id)
    try:
        actions.alert_expire(actor=request.user, alert=alert, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The alert is no longer on the public page."))
    return redirect("alert-edit", alert_id=alert.pk)


# Managers: subscribers and webhooks -------------------------------------------------------------------


def subscribers(request):
    return render(request, "alerts/subscribers.html", {
        "counts": queries.subscriber_counts(),
        "by_area": queries.subscribers_by_area(),
        "without_areas": queries.subscribers_without_areas(),
        "recent_failures": Delivery.objects.filter(channel=Delivery.Channel.EMAIL, status=Delivery.Status.FAILED,
                                                   created_at__gte=timezone.now() - datetime.timedelta(days=30)).count(),
    })


def webhooks(request):
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            webhook, secret = actions.webhook_create(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            # Rendered, not redirected: the secret is shown once and never kept anywhere else in clear.
            return render(request, "alerts/webhook_secret.html", {"webhook": webhook, "secret": secret})
    return render(request, "alerts/webhooks.html", {"form": form, "webhooks": queries.webhooks()})


def webhook_edit(request, webhook_id):
    webhook = get_object_or_404(Webhook, pk=webhook_id)
    form = WebhookEditForm(request.POST or None, webhook=webhook)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        rotate = data.pop("rotate_secret")
        try:
            webhook, secret = actions.webhook_update(actor=request.user, webhook=webhook, request=request,
                                                     rotate_secret=rotate, **data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            if secret:
                return render(request, "alerts/webhook_secret.html", {"webhook": webhook, "secret": secret})
            messages.success(request, _("Webhook “%(name)s” saved.") % {"name": webhook.name})
            return redirect("alert-webhooks")
    return render(request, "alerts/webhook_form.html", {"form": form, "webhook": webhook})
