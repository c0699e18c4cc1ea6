from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "shuren.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        # Imported here: the messages module registers its kinds with notify once apps are ready.
        from shuren.people import messages  # noqa: F401
