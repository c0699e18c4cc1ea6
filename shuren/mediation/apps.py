from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "shuren.mediation"
    label = "mediation"
    verbose_name = _("Mediation")

    def ready(self) -> None:
        # Imported here: these modules import models, which exist only once apps are ready.
        from shuren.cases import links
        from shuren.kernel import outbox
        from shuren.mediation import checks, messages, rules  # noqa: F401 - check, kinds, perms
        from shuren.mediation.from_matter import on_outbox_row
        from shuren.mediation.links import mediation_links

        # A matter dispatched to a mediation organisation opens its case after the dispatch.
        outbox.register("mediation.from_matter", on_outbox_row)
        # The matter's page says 调解中 and links the case for its mediators.
        links.register(mediation_links)
