from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "shuren.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # Imported here: these modules import models, which exist only once apps are ready.
        from shuren.cases import messages, parties, reference  # noqa: F401 - they register kinds, perms
        from shuren.people.signals import person_anonymised
        from shuren.places.signals import subtree_moved

        subtree_moved.connect(_repath_cases, dispatch_uid="cases.repath")
        person_anonymised.connect(_scrub_person, dispatch_uid="cases.scrub_person")
        reference.connect_signals()


def _repath_cases(sender: object, *, old_prefix: str, new_prefix: str, **kwargs: object) -> None:
    from shuren.cases.workflow.upkeep import repath_cases  # loaded by ready(): no new import

    repath_cases(old_prefix=old_prefix, new_prefix=new_prefix)


def _scrub_person(sender: object, *, person_id: int, name: str, **kwargs: object) -> None:
    from shuren.cases.workflow.upkeep import scrub_person  # loaded by ready(): no new import

    scrub_person(person_id=person_id, name=name)
