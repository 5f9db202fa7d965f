from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    COORDINATOR = "coordinator", _("Coordinator")
    STAFF = "staff", _("Staff")
    PEER = "peer", _("Peer (volunteer)")
