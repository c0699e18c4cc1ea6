"""The people routes added since the core matrix (access/tests/test_scope_matrix.py): anonymising
a person on request (PIPL Art. 47). Staff who keep the record and may see it in full get the
page back (302; without the confirmation box nothing changes); others who see the person are
refused (403); out of scope is the 404 of a missing id."""

from __future__ import annotations

from typing import Any

from shuren.access.tests.test_scope_matrix import (
    PLACE_EDITORS,
    RESIDENT_SEES,
    UNMASKS,
    ObjectRoute,
    _person,
)

ANONYMISERS = UNMASKS & PLACE_EDITORS

ROUTES: dict[str, Any] = {
    "people/<int:pk>/anonymise/": ObjectRoute(
        "/people/{pk}/anonymise/",
        _person,
        method="post",
        data={"reason": "本人来电要求删除"},
        ok=lambda role: 302 if role in ANONYMISERS else 403,
        sees=RESIDENT_SEES,
    ),
}
