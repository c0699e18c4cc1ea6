from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "shuren.notify"
    label = "notify"
    verbose_name = _("Notify")

    def ready(self) -> None:
        # Imported here: both modules import models, which exist only once apps are ready.
        from shuren.kernel import outbox
        from shuren.notify import rules  # noqa: F401  (registers the permissions)
        from shuren.notify.delivery import fan_out
        from shuren.notify.inapp import write_notifications

        outbox.register("notify.in_app", write_notifications)
        # E-mail and WeCom: rows written here, sent by their own tasks after the commit.
        outbox.register("notify.channels", fan_out)
