"""Categories of matters: a two-level tree (邻里纠纷 › 噪音), seeded by a migration."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from shuren.cases.choices import EstateTier


class Category(models.Model):
    """A kind of matter, in a two-level tree (邻里纠纷 › 噪音).

    Seeded names are English msgids shown through gettext, so the Chinese lives in the .po file;
    a name an administrator types in Chinese is shown as typed.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("category", "name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Disputes between neighbours name private people; they never go on a public page.
    may_be_public = models.BooleanField(_("may be public"), default=False)
    # Which of its matters the estate tier handles (cases/estate.py): public security skips it,
    # a complaint about the property service never goes to the company complained about.
    estate_tier = models.CharField(
        _("estate tier"),
        max_length=16,
        choices=EstateTier.choices,
        default=EstateTier.ALL,
        help_text=_("A sub-category follows its parent where the parent is stricter."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return gettext(self.name)

    @property
    def full_label(self) -> str:
        if self.parent_id and self.parent:
            return f"{self.parent.label} › {self.label}"
        return self.label
