"""Every write of this app: API clients (create, revoke, the per-request touch) and Open311 requests."""

import datetime
import decimal
import hashlib
import logging
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import may_edit_category, may_manage_area_keys
from grids.models import Building
from grids.validators import validate_phone
from petitions import antispam
from petitions.models import Petition
from petitions.services import petition_submit_public
from servicemap.validators import china_coordinate_errors

from .models import ApiClient, ApiScope, Open311Request, ServiceAttribute
from .selectors import area_community_ids

logger = logging.getLogger("linli.integrations")

KEY_PREFIX = "lk_"
# How often a read may move `last_used_at`: an UPDATE per request would cost more than the read.
TOUCH_EVERY = datetime.timedelta(minutes=1)
MAX_LIFETIME = datetime.timedelta(days=3 * 366)


class KeyRefused(Exception):
    """A key that is unknown, revoked, expired or over its allowance; `status` is the HTTP answer."""

    def __init__(self, message, status=403):
        super().__init__(message)
        self.message, self.status = message, status


def hash_key(raw: str) -> str:
    # The secret part carries 256 random bits, so a plain SHA-256 cannot be reversed by guessing; no
    # server secret is mixed in, so rotating SECRET_KEY does not break every issued key.
    return hashlib.sha256(raw.encode()).hexdigest()


def manageable_community_ids(user) -> frozenset:
    """The communities whose keys `user` manages (not for a superuser, who manages all)."""
    scope = user.scope
    return scope.community_ids if may_manage_area_keys(user) else scope.writable_community_ids


def api_client_check(*, client, by) -> None:
    """The rules of a client, shared by create and update: one area, known scopes, a bounded life, and an
    area inside what `by` manages."""
    errors = {}
    if sum(x is not None for x in (client.community, client.street, client.district)) != 1:
        errors["community"] = _("Bind the client to exactly one community, street or district.")
    scopes = client.scopes or []
    if not scopes or set(scopes) - set(ApiScope.values):
        errors["scopes"] = _("Choose at least one of the listed scopes.")
    now = timezone.now()
    if client.expires_at is None or client.expires_at <= now:
        errors["expires_at"] = _("The expiry must lie in the future.")
    elif client.expires_at > now + MAX_LIFETIME:
        errors["expires_at"] = _("A key may live three years at most; issue a new one then.")
    if not 1 <= (client.rate_limit_per_hour or 0) <= 100_000:
        errors["rate_limit_per_hour"] = _("Allow between 1 and 100000 requests an hour.")
    if not (client.name or "").strip():
        errors["name"] = _("Name the system that will use the key.")
    if errors:
        raise ValidationError(errors)
    if by.is_superuser:
        return
    ids = area_community_ids(community=client.community, street=client.street, district=client.district)
    if not ids or not ids <= manageable_community_ids(by):
        raise PermissionDenied(_("You can only issue keys for your own area."))


def api_client_save(*, client, by) -> str | None:
    """Create or update a client. A new client gets its key and its own account (which cannot log in);
    the key is returned this once and never stored. An update returns None and leaves the key alone."""
    api_client_check(client=client, by=by)
    client.scopes = sorted(set(client.scopes))
    with transaction.atomic():
        if client.pk:
            client.save()
            return None
        prefix = secrets.token_hex(4)
        raw = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        user = User(username=f"api-{prefix}", display_name=client.name[:50])
        user.set_unusable_password()
        user.save()
        client.user, client.key_prefix, client.key_hash, client.created_by = user, prefix, hash_key(raw), by
        client.save()
    logger.info("api_client=%s created by=%s", client.pk, by.pk)
    return raw


def api_client_revoke(*, client, by) -> ApiClient:
    if not by.is_superuser and not ApiClient.objects.editable_by(by).filter(pk=client.pk).exists():
        raise PermissionDenied(_("You can only revoke keys of your own area."))
    with transaction.atomic():
        client = ApiClient.objects.select_for_update().get(pk=client.pk)
        if client.revoked_at is None:
            client.revoked_at, client.revoked_by = timezone.now(), by
            client.save(update_fields=["revoked_at", "revoked_by"])
    logger.info("api_client=%s revoked by=%s", client.pk, by.pk)
    return client


def api_client_for_key(raw: str) -> ApiClient:
    """The client of a key that may be used now, counted against its hourly allowance, or KeyRefused.
    One query to find it, the limiter's count and insert (in the database, as the public form's), and an
    UPDATE of `last_used_at` at most once a minute."""
    raw = (raw or "").strip()
    prefix = raw[len(KEY_PREFIX) :].split("_", 1)[0] if raw.startswith(KEY_PREFIX) else ""
    client = (
        ApiClient.objects.select_related("user", "community", "street", "district")
        .filter(key_prefix=prefix)
        .first()
        if len(prefix) == 8
        else None
    )
    # compare_digest on the hashes: the time taken says nothing about how much of a key was right.
    if client is None or not secrets.compare_digest(client.key_hash, hash_key(raw)):
        raise KeyRefused(_("The API key is not valid."))
    now = timezone.now()
    if client.revoked_at is not None:
        raise KeyRefused(_("This API key was revoked."))
    if client.expires_at <= now:
        raise KeyRefused(_("This API key has expired."))
    if antispam.rate_limited("api_key", f"client:{client.pk}", limit=client.rate_limit_per_hour):
        raise KeyRefused(_("This API key made too many requests. Please wait a while."), status=429)
    if client.last_used_at is None or client.last_used_at < now - TOUCH_EVERY:
        ApiClient.objects.filter(pk=client.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_EVERY)
        ).update(last_used_at=now)
        client.last_used_at = now
    return client


def api_client_use_record(*, client, method, path, status_code) -> None:
    """The log row of one write made with a key."""
    client.uses.create(method=method[:8], path=path[:200], status_code=status_code)


# --- Open311 ------------------------------------------------------------------------------------------


def _answers(category, posted: dict) -> dict:
    """The answers to a category's questions, checked by type; a missing required one is refused."""
    errors, answers = {}, {}
    for attribute in category.open311_attributes.all():
        values = posted.get(attribute.code) or []
        values = [v.strip() for v in values if v and v.strip()]
        key = f"attribute[{attribute.code}]"
        if not values:
            if attribute.required:
                errors[key] = _("%(question)s: an answer is required.") % {"question": attribute.description}
            continue
        keys = {str(v.get("key")) for v in attribute.values}
        kind = attribute.datatype
        if kind == ServiceAttribute.Datatype.MULTI:
            if set(values) - keys:
                errors[key] = _("%(question)s: choose among the listed values.") % {
                    "question": attribute.description
                }
            answers[attribute.code] = values
            continue
        value = values[0]
        if kind == ServiceAttribute.Datatype.SINGLE and value not in keys:
            errors[key] = _("%(question)s: choose among the listed values.") % {
                "question": attribute.description
            }
        elif kind == ServiceAttribute.Datatype.NUMBER:
            try:
                float(value)
            except ValueError:
                errors[key] = _("%(question)s: enter a number.") % {"question": attribute.description}
        elif kind == ServiceAttribute.Datatype.DATETIME and parse_datetime(value) is None:
            errors[key] = _("%(question)s: enter a date and time such as 2026-05-01T09:30:00+08:00.") % {
                "question": attribute.description
            }
        elif len(value) > 500:
            errors[key] = _("%(question)s: keep the answer under 500 characters.") % {
                "question": attribute.description
            }
        answers[attribute.code] = value
    if errors:
        raise ValidationError(errors)
    return answers


def _coordinates(lat, long):
    if lat in (None, "") and long in (None, ""):
        return None, None
    errors = china_coordinate_errors(lat, long)
    if errors:
        raise ValidationError({"lat" if k == "latitude" else "long": v for k, v in errors.items()})
    return decimal.Decimal(str(lat)).quantize(decimal.Decimal("0.000001")), decimal.Decimal(
        str(long)
    ).quantize(decimal.Decimal("0.000001"))


def open311_request_submit(*, client, community, category, data: dict, attributes: dict, ip: str):
    """An Open311 POST: the same loop as the public form (petition_submit_public: its checks, deadlines,
    reminders and event row), with the key standing in for the form's question. A key that is not trusted
    keeps the form's limit per network, and the phone it passes on is dropped, since nobody verified it;
    a trusted system vouches for both. Returns the Open311Request row."""
    if not client.has_scope(ApiScope.OPEN311):
        raise PermissionDenied(_("This API key may not post Open311 requests."))
    if community.pk not in area_community_ids(
        community=client.community, street=client.street, district=client.district
    ):
        raise PermissionDenied(_("This API key may not post requests in this jurisdiction."))
    lat, long = _coordinates(data.get("lat"), data.get("long"))
    address = (data.get("address_string") or "").strip()
    address_id = (data.get("address_id") or "").strip()
    if lat is None and not address and not address_id:
        raise ValidationError({"lat": _("Give the place: lat and long, address_string or address_id.")})
    building = None
    if address_id:
        building = Building.objects.filter(code=address_id, community=community).first()
        if building is None:
            raise ValidationError({"address_id": _("No building of this jurisdiction has this code.")})
    description = (data.get("description") or "").strip()
    if len(description) < 4:
        raise ValidationError({"description": _("Please describe what you need.")})
    answers = _answers(category, attributes)
    if answers:
        lines = [
            f"{a.description}: {', '.join(answers[a.code]) if isinstance(answers[a.code], list) else answers[a.code]}"
            for a in category.open311_attributes.all()
            if a.code in answers
        ]
        description = "\n".join([description, "", *lines])
    phone = (data.get("phone") or "").strip() if client.trusted else ""
    if phone:
        try:
            validate_phone(phone)
        except ValidationError:
            raise ValidationError({"phone": _("Enter an 11-digit mainland mobile number.")}) from None
    if not client.trusted and antispam.rate_limited("submit_ip", ip):
        raise KeyRefused(_("Too many requests from this network. Please try again later."), status=429)
    if phone and not client.trusted and antispam.rate_limited("submit_phone", phone):
        raise KeyRefused(_("Too many requests from this phone today. Please try again tomorrow."), status=429)
    name = " ".join(
        x for x in ((data.get("last_name") or "").strip(), (data.get("first_name") or "").strip()) if x
    )
    with transaction.atomic():
        petition = petition_submit_public(
            data={
                "kind": Petition.Kind.REQUEST,
                "category": category,
                "description": description,
                "building": building,
                "community": community,
                "location_text": address,
                "name": name[:50],
                "phone": phone,
                "photos": (),
            },
            user=None,
        )
        row = Open311Request.objects.create(
            petition=petition,
            client=client,
            token=secrets.token_hex(12),
            latitude=lat,
            longitude=long,
            attributes=answers,
        )
    logger.info("petition=%s posted through open311 client=%s", petition.pk, client.pk)
    return row


def service_attribute_save(*, attribute, by) -> ServiceAttribute:
    """Create or change a category's Open311 question: by whoever may edit that category."""
    if not may_edit_category(by, attribute.category):
        raise PermissionDenied(_("You can only add questions to categories you may edit."))
    lists = (ServiceAttribute.Datatype.SINGLE, ServiceAttribute.Datatype.MULTI)
    values = attribute.values or []
    if attribute.datatype in lists:
        ok = (
            isinstance(values, list)
            and values
            and all(
                isinstance(v, dict) and str(v.get("key", "")).strip() and str(v.get("name", "")).strip()
                for v in values
            )
        )
        if not ok:
            raise ValidationError({"values": _('List the choices as [{"key": "1", "name": "…"}, …].')})
        keys = [str(v["key"]) for v in values]
        if len(set(keys)) != len(keys):
            raise ValidationError({"values": _("Each choice needs its own key.")})
    elif values:
        raise ValidationError({"values": _("Only the two list types have choices.")})
    with transaction.atomic():
        attribute.full_clean(exclude=["values"])
        attribute.save()
    return attribute
