"""Every write of deliberation. One module per concern; this package only hands the public names on."""

from .errors import DeliberationError
from .follow_up import sweep_tasks, task_done, task_save
from .meetings import (
    attendance_scan,
    attendance_tick,
    attendance_tick_invitee,
    meeting_file_add,
    meeting_minutes_save,
    meeting_save,
)
from .topics import topic_save, voting_rule_save
from .workflow import (
    STEP_SERVICES,
    VoteResult,
    answer_submit,
    rule_for,
    topic_deliberate,
    topic_link_project,
    topic_open_call,
    topic_open_project,
    topic_propose,
    topic_publish_resolution,
    topic_publish_result,
    topic_step,
    topic_vote,
    vote_result,
)

__all__ = [
    "STEP_SERVICES",
    "DeliberationError",
    "VoteResult",
    "answer_submit",
    "attendance_scan",
    "attendance_tick",
    "attendance_tick_invitee",
    "meeting_file_add",
    "meeting_minutes_save",
    "meeting_save",
    "rule_for",
    "sweep_tasks",
    "task_done",
    "task_save",
    "topic_deliberate",
    "topic_open_call",
    "topic_link_project",
    "topic_open_project",
    "topic_propose",
    "topic_publish_resolution",
    "topic_publish_result",
    "topic_save",
    "topic_step",
    "topic_vote",
    "vote_result",
    "voting_rule_save",
]
