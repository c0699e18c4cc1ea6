from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KernelConfig(AppConfig):
    """The action kernel every capability builds on: actions, events, the outbox."""

    name = "shuren.kernel"
    label = "kernel"
    verbose_name = _("Actions and outbox")
