"""Every write to the project ledger. One module per concern; this module only hands the names on."""

from .milestones import milestone_add_evidence, milestone_complete, milestone_save
from .projects import project_save, project_set_status

__all__ = [
    "milestone_add_evidence",
    "milestone_complete",
    "milestone_save",
    "project_save",
    "project_set_status",
]
