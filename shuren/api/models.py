"""The API's own table: the Open311 partners' keys (Django finds models here)."""

from shuren.api.open311.keys import Open311Key

__all__ = ["Open311Key"]
