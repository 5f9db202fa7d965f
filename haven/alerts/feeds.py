"""The Atom 1.0 feed of current public alerts (django.contrib.syndication, Atom1Feed)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from haven.alerts import markup, queries
from haven.branding.queries import current_program


class AlertsFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("%(program)s alerts") % {"program": current_program().name}

    def author_name(self):
        # Atom needs an author for the feed (or for every entry): the program itself.
        return current_program().name

    def subtitle(self):
        return _("Warnings about the drug supply, overdose spikes and what to do.")

    def link(self):
        return reverse("alerts-public")

    def feed_url(self):
        return reverse("alerts-feed")

    def items(self):
        return list(queries.public_alerts()[: queries.FEED_SIZE])

    def item_title(self, alert):
        return f"{alert.get_severity_display()}: {alert.title}"

    def item_description(self, alert):
        # Atom1Feed writes this as the entry's <summary> (plain text).
        return markup.to_plain(alert.body)

    def item_link(self, alert):
        return reverse("alert-detail", args=[alert.pk])

    def item_guid(self, alert):
        return f"tag:haven,alert:{alert.pk}"

    def item_pubdate(self, alert):
        return alert.published_at

    def item_updateddate(self, alert):
        return alert.updated_at

    def item_categories(self, alert):
        return [alert.get_severity_display(), *alert.substances, *(area.name for area in alert.areas.all())]

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Content-Type"] = "application/atom+xml; charset=utf-8"
        return response
