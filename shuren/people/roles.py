"""The roles a post can give, and the groups of roles the rules speak of. A leaf: it imports
nothing of the project, so scope, reach, passwords and every capability can name roles."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LOUZHANG = "louzhang", _("Building leader")
    XIANGZHANG = "xiangzhang", _("Lane leader")
    JIEZHANG = "jiezhang", _("Street leader")
    WANGGEYUAN = "wanggeyuan", _("Grid worker")
    SHEQU_STAFF = "shequ_staff", _("Community staff")
    SHEQU_SHUJI = "shequ_shuji", _("Community secretary")
    TIAOJIEYUAN = "tiaojieyuan", _("Mediator")
    WUYE = "wuye", _("Property company")
    JIEDAO_STAFF = "jiedao_staff", _("Subdistrict staff")
    YEWEIHUI = "yeweihui", _("Homeowners' committee member")
    ZIZHI_ZUZHANG = "zizhi_zuzhang", _("Self-governance group leader")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Auditor")


# Volunteer leaders (often retired) versus professional staff: the staff need longer passwords
# and may unmask personal information inside their scope.
LEADER_ROLES = frozenset(
    {Role.LOUZHANG, Role.XIANGZHANG, Role.JIEZHANG, Role.YEWEIHUI, Role.ZIZHI_ZUZHANG}
)
STAFF_ROLES = frozenset(set(Role) - LEADER_ROLES)
# 三员分立: these roles administer the system; they hold no place of their own.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
