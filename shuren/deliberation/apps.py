from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    name = "shuren.deliberation"
    label = "deliberation"
    verbose_name = _("Consultation")

    def ready(self) -> None:
        # Imported here: these modules import models, which exist only once apps are ready.
        from shuren.deliberation.elevators import messages as elevator_messages  # noqa: F401
        from shuren.deliberation.elevators import rules as elevator_rules  # noqa: F401
        from shuren.deliberation.votes import messages, rules  # noqa: F401 - kinds, perms
