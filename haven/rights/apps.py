from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "haven.rights"
    verbose_name = _("Rights and harms")

    def ready(self):
        # Productions for legal requests join the person's accounting of disclosures in support.
        from haven.rights.queries import legal_disclosures
        from haven.support.disclosures import register_source

        register_source(legal_disclosures)
