"""WeChat Official Account template messages and mini-program subscribe messages, from the public API
documentation (developers.weixin.qq.com).

- The access token (GET /cgi-bin/token, grant_type=client_credential) lives about two hours and a new
  fetch invalidates the old one soon after, so one token is kept for all workers in the database
  (`WeChatAccessToken`) and fetched again REFRESH_BEFORE its expiry, or when WeChat says it is invalid.
- Template message: POST /cgi-bin/message/template/send {touser, template_id, url, data, client_msg_id};
  WeChat sends one message per (openid, client_msg_id), so the outbox key goes there.
- Subscribe message: POST /cgi-bin/message/subscribe/send {touser, template_id, page, data}.
- Binding: the Official Account's web authorisation (snsapi_base) hands a code to our callback, exchanged
  at /sns/oauth2/access_token for the user's openid.

Message data follows the account's chosen template: {key: {"value": text}}. WECHAT_TEMPLATE_IDS names the
template of each of our kinds, with the keys WeChat's category templates number: `reminder` (staff and
grid leaders) thing1 title, thing2 detail, time3 when; `status` (a resident following a request)
character_string1 tracking code, phrase2 status, time3 when. thing values are cut to 20 characters,
phrase values to 5.
"""

import datetime
import json
import logging
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from .models import WeChatAccessToken, WeChatBinding
from .outbound import ChannelError, call

logger = logging.getLogger("linli.wechat")

REFRESH_BEFORE = datetime.timedelta(minutes=5)
# The token was refused: fetch a new one and try again later.
TOKEN_ERRORS = frozenset({40001, 40014, 42001})
# WeChat busy or a limit that resets: try again later. Every other errcode (not following the account,
# an unknown openid or template, a refused subscription, bad data) will not change by itself.
RETRY_ERRORS = frozenset({-1, 45009, 45011, 45047})


def enabled() -> bool:
    return bool(settings.WECHAT_APP_ID and settings.WECHAT_APP_SECRET)


def _url(path, **query):
    return f"{settings.WECHAT_API_BASE.rstrip('/')}{path}?{urllib.parse.urlencode(query)}"


def _check(answer):
    code = answer.get("errcode", 0)
    if code:
        raise ChannelError(
            answer.get("errmsg", ""),
            code=str(code),
            permanent=code not in RETRY_ERRORS and code not in TOKEN_ERRORS,
        )
    return answer


def access_token(now=None, *, force=False) -> str:
    """The shared token, fetched when missing, about to expire or (`force`) refused by WeChat. The row lock
    makes one worker fetch while the others wait for its token instead of invalidating it with their own.
    A fetch inside a send that then fails is rolled back with the sweep's savepoint; the next attempt
    finds the old token refused and fetches again (a few extra fetches on failures, well under the limit)."""
    if not enabled():
        raise ImproperlyConfigured("WECHAT_APP_ID and WECHAT_APP_SECRET must be set to send WeChat messages.")
    now = now or timezone.now()
    app_id = settings.WECHAT_APP_ID
    with transaction.atomic():
        placeholder = {"token": "", "expires_at": now}  # nosec B105 # an expired row, filled below
        WeChatAccessToken.objects.get_or_create(app_id=app_id, defaults=placeholder)
        row = WeChatAccessToken.objects.select_for_update().get(app_id=app_id)
        if row.token and row.expires_at - REFRESH_BEFORE > now and not force:
            return row.token
        answer = _check(
            call(
                urllib.request.Request(
                    _url(
                        "/cgi-bin/token",
                        grant_type="client_credential",
                        appid=app_id,
                        secret=settings.WECHAT_APP_SECRET,
                    )
                ),
                timeout=settings.WECHAT_TIMEOUT,
            )
        )
        row.token = answer["access_token"]
        row.expires_at = now + datetime.timedelta(seconds=int(answer.get("expires_in", 7200)))
        row.save()
        logger.info("wechat token refreshed app=%s until=%s", app_id, row.expires_at.isoformat())
        return row.token


def _post(path, body):
    def attempt(token):
        request = urllib.request.Request(
            _url(path, access_token=token),
            data=json.dumps(body, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        return _check(call(request, timeout=settings.WECHAT_TIMEOUT))

    try:
        return attempt(access_token())
    except ChannelError as error:
        if error.code not in {str(c) for c in TOKEN_ERRORS}:
            raise
    # Refused as expired or replaced (another fetch, a reset in the console): once more with a new one.
    return attempt(access_token(force=True))


def send(*, app, openid, kind, data, url="", idempotency_key):
    """Send one message of `kind` to an openid: a template message on the Official Account, a subscribe
    message in the mini-program."""
    template_id = settings.WECHAT_TEMPLATE_IDS.get(kind)
    if not template_id:
        raise ChannelError(f"No WeChat template for {kind!r}.", code="no_template", permanent=True)
    values = {key: {"value": value} for key, value in data.items()}
    if app == WeChatBinding.App.MINI_PROGRAM:
        body = {"touser": openid, "template_id": template_id, "data": values}
        if url:
            body["page"] = settings.WECHAT_MINI_PAGE
        return _post("/cgi-bin/message/subscribe/send", body)
    body = {
        "touser": openid,
        "template_id": template_id,
        "data": values,
        "client_msg_id": idempotency_key[:64],
    }
    if url:
        body["url"] = url
    return _post("/cgi-bin/message/template/send", body)


def authorize_url(redirect_uri, state) -> str:
    """Where the binding page sends a user inside WeChat (silent authorisation: only the openid)."""
    query = urllib.parse.urlencode(
        {
            "appid": settings.WECHAT_APP_ID,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": "snsapi_base",
            "state": state,
        }
    )
    return f"{settings.WECHAT_OAUTH_BASE.rstrip('/')}/connect/oauth2/authorize?{query}#wechat_redirect"


def openid_for_code(code) -> str:
    answer = _check(
        call(
            urllib.request.Request(
                _url(
                    "/sns/oauth2/access_token",
                    appid=settings.WECHAT_APP_ID,
                    secret=settings.WECHAT_APP_SECRET,
                    code=code,
                    grant_type="authorization_code",
                )
            ),
            timeout=settings.WECHAT_TIMEOUT,
        )
    )
    return answer["openid"]
