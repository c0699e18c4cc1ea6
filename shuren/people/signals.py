"""What the people app tells the capabilities above it: a person was anonymised (PIPL Art. 47),
so each scrubs its own records of them (cases: the texts they wrote) without people importing
any capability."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the anonymising transaction with person_id=, name= (the name before).
person_anonymised = Signal()
