"""The outbox sweep: reminders, escalations, follow-up notices and SMS, each exactly once.

The sweep claims due rows in batches with one `select_for_update(skip_locked=True)` query, in a transaction
that also marks them done (each row handled in a savepoint of its own, one commit for the batch), so two
sweeps at once never take the same row; `deliver` claims one row the same way; the row id is the idempotency key given
to the SMS sender and the inbox (a task delivered twice finds the row done, or the key already used).
A row whose delivery keeps failing is retried with a growing delay and given up after MAX_ATTEMPTS.
"""

import datetime
import logging

from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from notifications.services import notify
from notifications.sms import send_sms

from ..models import Outbox, Petition, PhoneCode, RateLimitHit
from ..selectors import assignee_users, recipients_at_level
from .actions import MAX_ESCALATION
from .escalation import escalate_again_later, petition_escalate, still_overdue
from .pending import pending_photos_purge

logger = logging.getLogger("linli.petitions.sweep")

BATCH = 200
# Rows claimed by one query and committed together: fewer round trips and commits per row, while a batch
# stays short enough not to hold its row locks for long.
CLAIM_BATCH = 50


def _claimable(now, pk=None, model=Outbox):
    # The claim reads each row's subject too (RELATED: one query per batch, not one per row), while it
    # locks only the outbox rows: a subject being edited meanwhile never hides its notices.
    qs = model.objects.due(now).select_related(*RELATED.get(model, ()))
    if pk is not None:
        qs = qs.filter(pk=pk)
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    # SQLite has no row locks; its IMMEDIATE transactions serialise writers instead.
    return qs.order_by("due_at", "pk")


def _claim_one(now, pk=None, model=Outbox):
    return _claimable(now, pk=pk, model=model).first()


def _run_batch(now, size, *, model=Outbox, process=None):
    """Claim up to `size` due rows in one query and process each in its own savepoint: a failing row is
    rolled back alone and recorded for a retry; the others are marked done with one UPDATE and committed
    with it. Returns the count."""
    handle = process or SOURCES[model]
    with transaction.atomic():
        rows = list(_claimable(now, model=model)[:size])
        sent, skipped = [], []
        for row in rows:
            try:
                with transaction.atomic():
                    done = handle(row, now)
            except Exception as exc:  # noqa: BLE001 - recorded on the row, retried by a later sweep
                _record_failure(row.pk, now, exc, model=model)
            else:
                (sent if done else skipped).append(row.pk)
        _mark_done(model, now, sent, skipped)
    return len(rows)


def _mark_done(model, now, sent, skipped):
    """Mark the processed rows of a batch done in one statement, still under the claim's row locks (so
    exactly once holds): `skipped` are those whose handler found nothing left to send."""
    if not sent and not skipped:
        return
    model.objects.filter(pk__in=sent + skipped).update(
        sent_at=now,
        attempts=F("attempts") + 1,
        skipped=Case(When(pk__in=skipped, then=Value(True)), default=Value(False)) if skipped else False,
    )


# A row whose delivery fails (provider down, bad data) is retried later with a growing delay, then given
# up: it must never block the rows behind it nor be retried forever.
MAX_ATTEMPTS = 5
RETRY_BASE = datetime.timedelta(minutes=5)


def _run_one(now, pk=None, *, model=Outbox, process=None):
    """Claim and process one due row. Returns its id, or None when nothing is due. `process` defaults to
    the handler the model was registered with (SOURCES)."""
    row = None
    try:
        with transaction.atomic():
            row = _claim_one(now, pk=pk, model=model)
            if row is None:
                return None
            sent = (process or SOURCES[model])(row, now)
            _mark_done(model, now, [row.pk] if sent else [], [] if sent else [row.pk])
    except Exception as exc:  # noqa: BLE001 - recorded on the row, retried by a later sweep
        if row is None:
            raise
        _record_failure(row.pk, now, exc, model=model)
    return row.pk


def _record_failure(pk, now, exc, model=Outbox):
    logger.exception("%s=%s failed", model._meta.label_lower, pk)
    with transaction.atomic():
        qs = model.objects.filter(pk=pk, sent_at__isnull=True)
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        row = qs.first()
        if row is None:
            return
        row.attempts += 1
        row.last_error = f"{type(exc).__name__}: {exc}"[:300]
        # A channel's permanent error (a wrong number, a rejected template) will not change by itself.
        if row.attempts >= MAX_ATTEMPTS or getattr(exc, "permanent", False):
            row.sent_at = now
            row.skipped = True
            logger.error("outbox=%s given up after %s attempts", pk, row.attempts)
        else:
            row.due_at = now + RETRY_BASE * 2 ** (row.attempts - 1)
        row.save(update_fields=["attempts", "last_error", "sent_at", "skipped", "due_at"])


def sweep(now=None, limit=BATCH, *, model=None, process=None) -> int:
    """Process due outbox rows of every registered source (or of `model` only); returns how many were
    handled. Safe to run concurrently."""
    done = 0
    models = [model] if model is not None else list(SOURCES)
    for model in models:
        while done < limit:
            claimed = _run_batch(
                now or timezone.now(), min(CLAIM_BATCH, limit - done), model=model, process=process
            )
            if not claimed:
                break
            done += claimed
    return done


def deliver(pk, now=None, *, model=Outbox, process=None) -> bool:
    return _run_one(now or timezone.now(), pk=pk, model=model, process=process) is not None


def purge_counters(now=None):
    """Rate-limit hits and SMS codes are only needed for a day or two; photos a form kept, two hours."""
    now = now or timezone.now()
    RateLimitHit.objects.filter(created_at__lt=now - datetime.timedelta(days=2)).delete()
    PhoneCode.objects.filter(expires_at__lt=now - datetime.timedelta(days=1)).delete()
    pending_photos_purge(now)


def _process(row, now):
    p = row.petition  # read with the claim (RELATED)
    key = f"petition.outbox:{row.pk}"
    with override("zh-hans"):
        sent = KIND_HANDLERS[row.kind](row, p, key, now)
    logger.info("outbox=%s petition=%s kind=%s sent=%s", row.pk, p.pk, row.kind, sent)
    return sent


# The outbox tables this sweep works through, each with the function that handles one claimed row and
# returns whether it sent anything (the sweep marks the row done, sent or skipped). Other
# apps add theirs in AppConfig.ready() (register_source): a model with the Outbox's due_at, sent_at,
# skipped, attempts and last_error fields and its OutboxQuerySet, so their rows get the same row locks,
# retries and once-only delivery. The petitions' own rows come first.
SOURCES = {Outbox: _process}
# What the claim query reads along with each row (select_related), for its handler.
RELATED = {
    Outbox: (
        "petition__category",
        "petition__community",
        "petition__assignee",
        "petition__assignee_org",
        "petition__grid",
    )
}


def register_source(model, process, related=()):
    """Sweep `model`'s due rows too, handing each claimed row to `process(row, now)` (in its transaction;
    it returns True when it sent something, False when nothing was left to send; the sweep marks the
    row). `related` names what the claim reads with each row (select_related)."""
    RELATED[model] = tuple(related)
    SOURCES[model] = process


def _url(p):
    return f"/workbench/{p.pk}/"


def _notify_all(users, title, body, p, key, *, urgent=False):
    # Urgent (overdue, escalated) notices skip the recipients' daily digest and SMS quiet hours.
    for user in users:
        notify(user=user, title=title, body=body, url=_url(p), dedup_key=key, urgent=urgent)
    return bool(users)


def _workers(p):
    return assignee_users(p) or recipients_at_level(p, p.escalation_level)


def _still(p, row, field, statuses):
    return p.status in statuses and getattr(p, field) == row.deadline


def _h_new_item(row, p, key, now):
    if p.status != Petition.Status.SUBMITTED:
        return False
    title = _("New %(kind)s: %(code)s") % {"kind": p.get_kind_display(), "code": p.tracking_code}
    return _notify_all(recipients_at_level(p, p.escalation_level), title, p.description[:200], p, key)


def _h_contact_overdue(row, p, key, now):
    if p.contacted_at or not p.is_open or p.contact_due_at != row.deadline:
        return False
    title = _("First contact overdue: %(code)s") % {"code": p.tracking_code}
    return _notify_all(_workers(p), title, p.description[:200], p, key, urgent=True)


def _h_accept_reminder(row, p, key, now):
    if not _still(p, row, "accept_due_at", (Petition.Status.SUBMITTED,)):
        return False
    title = _("Please accept %(code)s before %(time)s") % {
        "code": p.tracking_code,
        "time": timezone.localtime(row.deadline).strftime("%m-%d %H:%M"),
    }
    return _notify_all(recipients_at_level(p, p.escalation_level), title, p.description[:200], p, key)


def _h_accept_overdue(row, p, key, now):
    if not still_overdue(p, row, "accept_due_at", (Petition.Status.SUBMITTED,)):
        return False
    petition_escalate(petition=p, now=now, reason=_("Not accepted in time"))
    escalate_again_later(p, row, now)
    title = _("Overdue, not accepted: %(code)s") % {"code": p.tracking_code}
    users = recipients_at_level(p, p.escalation_level)
    return _notify_all(users, title, p.description[:200], p, key, urgent=True)


def _h_resolve_reminder(row, p, key, now):
    if not _still(p, row, "resolve_due_at", Petition.RESOLVE_CLOCK_STATUSES):
        return False
    title = _("Please resolve %(code)s before %(time)s") % {
        "code": p.tracking_code,
        "time": timezone.localtime(row.deadline).strftime("%m-%d %H:%M"),
    }
    return _notify_all(_workers(p), title, p.description[:200], p, key)


def _h_resolve_overdue(row, p, key, now):
    if not still_overdue(p, row, "resolve_due_at", Petition.RESOLVE_CLOCK_STATUSES):
        return False
    petition_escalate(petition=p, now=now, reason=_("Not resolved in time"))
    escalate_again_later(p, row, now)
    title = _("Overdue, not resolved: %(code)s") % {"code": p.tracking_code}
    users = recipients_at_level(p, p.escalation_level) + assignee_users(p)
    return _notify_all(users, title, p.description[:200], p, key, urgent=True)


def _h_follow_up_due(row, p, key, now):
    if p.status != Petition.Status.RESOLVED or p.follow_up_due_at != row.deadline:
        return False
    title = _("Follow-up visit due: %(code)s") % {"code": p.tracking_code}
    # Someone other than the resolver visits: the grid's people, else community staff (a grid leader who
    # resolved it on the spot may be the grid's only one).
    users = []
    for level in (0, 1, MAX_ESCALATION):
        users = [u for u in recipients_at_level(p, level) if u.pk != p.resolved_by_id]
        if users:
            break
    return _notify_all(users, title, p.resolution[:200], p, key)


def _h_assigned(row, p, key, now):
    if not p.is_open or (
        Outbox.objects.filter(petition_id=p.pk, kind=row.kind, deadline__gt=row.deadline).exists()
    ):
        # Reassigned (or closed) since: the later notice tells whoever has it now, once.
        return False
    title = _("New work for you: %(code)s") % {"code": p.tracking_code}
    return _notify_all(_workers(p), title, p.description[:200], p, key)


def _h_reported_up(row, p, key, now):
    title = _("Reported up to you: %(code)s") % {"code": p.tracking_code}
    return _notify_all(recipients_at_level(p, p.escalation_level), title, p.description[:200], p, key)


def _h_extension_requested(row, p, key, now):
    if not p.extension_requested_until:
        return False
    title = _("Extension requested: %(code)s") % {"code": p.tracking_code}
    return _notify_all(recipients_at_level(p, max(p.escalation_level, 1)), title, "", p, key)


def _sms(template, status=None):
    def handler(row, p, key, now):
        if not p.phone_encrypted:
            return False
        # The step the message is about, not wherever the item is when a late sweep sends it.
        label = Petition.Status(status).label if status else p.get_status_display()
        send_sms(
            phone=p.phone,
            template=template,
            params={"code": p.tracking_code, "status": str(label)},
            idempotency_key=key,
        )
        return True

    return handler


KIND_HANDLERS = {
    Outbox.Kind.NEW_ITEM: _h_new_item,
    Outbox.Kind.CONTACT_OVERDUE: _h_contact_overdue,
    Outbox.Kind.ACCEPT_REMINDER: _h_accept_reminder,
    Outbox.Kind.ACCEPT_OVERDUE: _h_accept_overdue,
    Outbox.Kind.RESOLVE_REMINDER: _h_resolve_reminder,
    Outbox.Kind.RESOLVE_OVERDUE: _h_resolve_overdue,
    Outbox.Kind.FOLLOW_UP_DUE: _h_follow_up_due,
    Outbox.Kind.ASSIGNED: _h_assigned,
    Outbox.Kind.REPORTED_UP: _h_reported_up,
    Outbox.Kind.EXTENSION_REQUESTED: _h_extension_requested,
    Outbox.Kind.SMS_ACCEPTED: _sms("petition_accepted", Petition.Status.ACCEPTED),
    Outbox.Kind.SMS_RESOLVED: _sms("petition_resolved", Petition.Status.RESOLVED),
    Outbox.Kind.SMS_FOLLOWED_UP: _sms("petition_followed_up"),
}
