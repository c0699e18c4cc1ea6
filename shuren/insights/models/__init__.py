"""The models of insights: the exact rollups of matters (tally.py), the early-warning alerts and
their lexicon (alerts.py), the register files built in the background (exports.py)."""

from shuren.insights.models.alerts import Alert, RiskyWord
from shuren.insights.models.exports import ExportFile, ExportStatus
from shuren.insights.models.tally import COUNTERS, Tally

__all__ = ["COUNTERS", "Alert", "ExportFile", "ExportStatus", "RiskyWord", "Tally"]
