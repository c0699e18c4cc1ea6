from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "shuren.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        # Imported here: these modules import models, which exist only once apps are ready.
        from shuren.insights import alert_mediation, alert_messages, messages, rules, tallies  # noqa: F401 - kinds, perms
        from shuren.insights.alert_raising import forget_lexicon, on_outbox_row
        from shuren.insights.models.alerts import RiskyWord
        from shuren.kernel import outbox
        from shuren.kernel.action import keep
        from shuren.places.signals import subtree_moved

        keep("cases.case", tallies.KEEPER)
        # Risky words in a new matter: raised in the report's first background task.
        outbox.register("insights.risky_words", on_outbox_row)
        # A dispute in mediation at risk (Art. 25): a red alert over its place.
        outbox.register("insights.mediation_risk", alert_mediation.on_outbox_row)
        for signal in (post_save, post_delete):
            signal.connect(forget_lexicon, sender=RiskyWord, dispatch_uid="insights.lexicon")
        # After cases' own receiver has moved the matters (connected first: cases is earlier
        # in INSTALLED_APPS), the tallies of the old and the new area are counted again.
        subtree_moved.connect(_recount_moved, dispatch_uid="insights.recount_moved")


def _recount_moved(sender: object, *, old_prefix: str, new_prefix: str, **kwargs: object) -> None:
    from shuren.insights.tallies import recount_areas  # loaded by ready(): no new import

    recount_areas([old_prefix, new_prefix])
