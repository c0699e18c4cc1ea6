from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "shuren.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        # Logins, failures, logouts and lockouts are recorded where Django and axes announce them.
        from shuren.audit import receivers  # noqa: F401
