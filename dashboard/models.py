"""The dashboard owns no domain model: visits, campaigns and their requests live in the visits app.

VisitItem is handed on here only because dashboard/items.py (reworked separately) still imports it
from this module; new code imports it from visits.models.
"""

from visits.models import VisitItem

__all__ = ["VisitItem"]
