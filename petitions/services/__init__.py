"""Every write to a request. One module per concern; this package only hands the public names on."""

from .actions import MAX_ESCALATION, NOT_SOLVED_LIMIT, UNREACHABLE_ATTEMPTS
from .catalogue import (
    DEFAULT_CATEGORIES,
    board_version_bump,
    category_ensure_default,
    category_save,
    holiday_delete,
    holiday_save,
)
from .errors import PetitionError
from .escalation import petition_escalate
from .history import petition_record_deliberation
from .pending import pending_photo_remove, pending_photos_keep
from .phone import may_reveal_phone, petition_reveal_phone
from .rules import (
    DESTRUCTIVE_ACTIONS,
    PHONE_READERS,
    PUBLIC_ACTIONS,
    RULES,
    Rule,
    allowed_actions,
    grouped_actions,
    relations,
)
from .submission import (
    category_fallback,
    petition_record_by_staff,
    petition_submit,
    petition_submit_for_household,
    petition_submit_public,
)
from .transitions import (
    petition_accept,
    petition_bulk_dispatch,
    petition_claim,
    petition_decline,
    petition_dispatch,
    petition_follow_up,
    petition_follow_up_unreachable,
    petition_merge,
    petition_rate,
    petition_reassign,
    petition_resolve,
    petition_resolve_on_the_spot,
    petition_start,
    petition_transition,
)

__all__ = [
    "DEFAULT_CATEGORIES",
    "DESTRUCTIVE_ACTIONS",
    "board_version_bump",
    "category_ensure_default",
    "MAX_ESCALATION",
    "NOT_SOLVED_LIMIT",
    "PHONE_READERS",
    "PUBLIC_ACTIONS",
    "RULES",
    "UNREACHABLE_ATTEMPTS",
    "PetitionError",
    "Rule",
    "allowed_actions",
    "grouped_actions",
    "category_fallback",
    "category_save",
    "holiday_delete",
    "holiday_save",
    "pending_photo_remove",
    "pending_photos_keep",
    "petition_accept",
    "petition_bulk_dispatch",
    "petition_claim",
    "petition_decline",
    "petition_dispatch",
    "petition_escalate",
    "petition_follow_up",
    "petition_follow_up_unreachable",
    "petition_merge",
    "petition_rate",
    "petition_record_deliberation",
    "petition_reassign",
    "petition_resolve",
    "petition_resolve_on_the_spot",
    "may_reveal_phone",
    "petition_reveal_phone",
    "petition_start",
    "petition_submit",
    "petition_submit_for_household",
    "petition_record_by_staff",
    "petition_submit_public",
    "petition_transition",
    "relations",
]
