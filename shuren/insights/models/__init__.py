"""The models of insights: the exact rollups of matters (tally.py)."""

from shuren.insights.models.exports import ExportFile, ExportStatus  # noqa: F401 - the register's
from shuren.insights.models.tally import COUNTERS, Tally

__all__ = ["COUNTERS", "Tally"]
