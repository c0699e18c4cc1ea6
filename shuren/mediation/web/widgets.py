"""Widgets of the mediation pages: the session's parties, where only those who consented can be
ticked (Art. 17); the action still judges, for a page that is out of date or a hand-made POST."""

from __future__ import annotations

from typing import Any

from django import forms


class ConsentingCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose options not in `enabled` are shown, greyed and not tickable."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enabled: frozenset[str] = frozenset()

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) not in self.enabled:
            option["attrs"] = {**option["attrs"], "disabled": True}
        return option
