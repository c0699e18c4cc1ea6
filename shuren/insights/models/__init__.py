"""The models of insights: the exact rollups of matters (tally.py)."""

from shuren.insights.models.alerts import Alert, RiskyWord  # noqa: F401 - the app's models
from shuren.insights.models.tally import COUNTERS, Tally

__all__ = ["COUNTERS", "Tally"]
