from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KernelConfig(AppConfig):
    """The action kernel every capability builds on: actions, events, the outbox."""

    name = "shuren.kernel"
    label = "kernel"
    verbose_name = _("Actions and outbox")

    def ready(self) -> None:
        # The re-run permission (kernel.rerun_task) is registered where the action lives.
        from shuren.kernel import tasks  # noqa: F401
