"""Alibaba Cloud SMS and Tencent Cloud SMS, implemented from their public API documentation.

Alibaba Cloud (dysmsapi, SendSms, API version 2017-05-25): an RPC call, signed with signature v1
(HMAC-SHA1 over "GET&%2F&" + the percent-encoded, sorted query; key = AccessKeySecret + "&"). The template
takes named parameters as JSON. Our idempotency key goes in OutId, the caller's own id the provider keeps
with the message and returns in its receipts.

Tencent Cloud (sms, SendSms, API version 2021-01-11): a JSON POST signed with TC3-HMAC-SHA256 (a canonical
request over the signed headers and the body's SHA-256, a signing key derived from the secret, the date,
the service and "tc3_request"). The template takes its parameters as an ordered list: the values of our
params in the order the sender wrote them. The idempotency key goes in SessionContext.

Neither provider deduplicates by these fields; they let a receipt or a complaint be traced to the outbox
row. A resend is prevented on our side: the outbox row is marked sent in the same transaction.

Template codes come from SMS_TEMPLATE_CODES ({our template name: the provider's code}); credentials from
the environment. Each provider's error codes are sorted into retry (throttling, the provider's own faults)
and give up (a wrong number, an unapproved template or signature, bad credentials, no balance).
"""

import base64
import datetime
import hashlib
import hmac
import json
import urllib.parse
import urllib.request
import uuid

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .outbound import ChannelError, call


def _template_code(template):
    code = settings.SMS_TEMPLATE_CODES.get(template)
    if not code:
        raise ChannelError(f"No provider template code for {template!r}.", code="no_template", permanent=True)
    return code


def _setting(name):
    value = getattr(settings, name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set to send SMS through this provider.")
    return value


# --- Alibaba Cloud -------------------------------------------------------------------------------------

# Codes worth another try later: throttling and the provider's own faults. Any other non-OK code (a wrong
# number, a template or signature not approved, bad credentials, an unpaid account) will not change by
# itself and is given up.
ALIYUN_RETRY = frozenset(
    {
        "isp.SYSTEM_ERROR",
        "isv.BUSINESS_LIMIT_CONTROL",
        "isv.OUT_OF_SERVICE",
        "Throttling",
        "Throttling.User",
        "ServiceUnavailable",
        "InternalError",
        "SignatureNonceUsed",
    }
)


def aliyun_percent_encode(value) -> str:
    """RFC 3986 encoding as the RPC signature requires: spaces %20, '*' %2A, '~' kept."""
    return urllib.parse.quote(str(value), safe="~")


def aliyun_string_to_sign(method, params) -> str:
    query = "&".join(
        f"{aliyun_percent_encode(k)}={aliyun_percent_encode(v)}" for k, v in sorted(params.items())
    )
    return f"{method}&{aliyun_percent_encode('/')}&{aliyun_percent_encode(query)}"


def aliyun_signature(secret, method, params) -> str:
    digest = hmac.new(
        f"{secret}&".encode(), aliyun_string_to_sign(method, params).encode(), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsBackend:
    VERSION = "2017-05-25"

    def send(self, *, phone, template, params, idempotency_key, now=None):
        secret = _setting("ALIYUN_SMS_ACCESS_KEY_SECRET")
        now = now or datetime.datetime.now(datetime.UTC)
        query = {
            "AccessKeyId": _setting("ALIYUN_SMS_ACCESS_KEY_ID"),
            "Action": "SendSms",
            "Format": "JSON",
            "RegionId": settings.ALIYUN_SMS_REGION,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": self.VERSION,
            "PhoneNumbers": phone,
            "SignName": _setting("SMS_SIGN_NAME"),
            "TemplateCode": _template_code(template),
            "TemplateParam": json.dumps({k: str(v) for k, v in params.items()}, ensure_ascii=False),
            "OutId": idempotency_key[:256],
        }
        query["Signature"] = aliyun_signature(secret, "GET", query)
        url = f"{settings.ALIYUN_SMS_ENDPOINT.rstrip('/')}/?{urllib.parse.urlencode(query, quote_via=urllib.parse.quote)}"
        answer = call(urllib.request.Request(url, method="GET"), timeout=settings.SMS_TIMEOUT)
        code = answer.get("Code", "")
        if code != "OK":
            raise ChannelError(
                answer.get("Message", "") or "SendSms failed", code=code, permanent=code not in ALIYUN_RETRY
            )
        return answer.get("BizId", "")


# --- Tencent Cloud -------------------------------------------------------------------------------------

TENCENT_RETRY_PREFIXES = ("InternalError", "RequestLimitExceeded")
TENCENT_RETRY = frozenset(
    {
        "LimitExceeded.PhoneNumberThirtySecondLimit",  # too soon after the last one: later will do
        "LimitExceeded.PhoneNumberOneHourLimit",
        "FailedOperation.FailResolvePacket",
        "ResourceUnavailable",
    }
)
TENCENT_SIGNED_HEADERS = "content-type;host;x-tc-action"


def _tc3_hmac(key, message):
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def tencent_string_to_sign(
    *, host, action, payload, timestamp, service="sms", content_type="application/json; charset=utf-8"
):
    date = datetime.datetime.fromtimestamp(timestamp, datetime.UTC).strftime("%Y-%m-%d")
    canonical_headers = f"content-type:{content_type}\nhost:{host}\nx-tc-action:{action.lower()}\n"
    canonical_request = "\n".join(
        [
            "POST",
            "/",
            "",
            canonical_headers,
            TENCENT_SIGNED_HEADERS,
            hashlib.sha256(payload).hexdigest(),
        ]
    )
    scope = f"{date}/{service}/tc3_request"
    text = "\n".join(
        ["TC3-HMAC-SHA256", str(timestamp), scope, hashlib.sha256(canonical_request.encode()).hexdigest()]
    )
    return date, scope, text


def tencent_signature(secret_key, *, date, string_to_sign, service="sms") -> str:
    secret_date = _tc3_hmac(f"TC3{secret_key}".encode(), date)
    secret_service = _tc3_hmac(secret_date, service)
    secret_signing = _tc3_hmac(secret_service, "tc3_request")
    return hmac.new(secret_signing, string_to_sign.encode(), hashlib.sha256).hexdigest()


class TencentSmsBackend:
    VERSION = "2021-01-11"
    ACTION = "SendSms"

    def send(self, *, phone, template, params, idempotency_key, now=None):
        secret_id, secret_key = _setting("TENCENT_SMS_SECRET_ID"), _setting("TENCENT_SMS_SECRET_KEY")
        endpoint = settings.TENCENT_SMS_ENDPOINT.rstrip("/")
        host = urllib.parse.urlsplit(endpoint).netloc
        timestamp = int((now or datetime.datetime.now(datetime.UTC)).timestamp())
        body = {
            "PhoneNumberSet": [phone if phone.startswith("+") else f"+86{phone}"],
            "SmsSdkAppId": _setting("TENCENT_SMS_APP_ID"),
            "SignName": _setting("SMS_SIGN_NAME"),
            "TemplateId": _template_code(template),
            "TemplateParamSet": [str(v) for v in params.values()],
            "SessionContext": idempotency_key[:512],
        }
        payload = json.dumps(body, ensure_ascii=False).encode()
        date, scope, text = tencent_string_to_sign(
            host=host, action=self.ACTION, payload=payload, timestamp=timestamp
        )
        signature = tencent_signature(secret_key, date=date, string_to_sign=text)
        headers = {
            "Authorization": (
                f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
                f"SignedHeaders={TENCENT_SIGNED_HEADERS}, Signature={signature}"
            ),
            "Content-Type": "application/json; charset=utf-8",
            "Host": host,
            "X-TC-Action": self.ACTION,
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": self.VERSION,
            "X-TC-Region": settings.TENCENT_SMS_REGION,
        }
        answer = call(
            urllib.request.Request(f"{endpoint}/", data=payload, headers=headers, method="POST"),
            timeout=settings.SMS_TIMEOUT,
        ).get("Response", {})
        if "Error" in answer:
            code = answer["Error"].get("Code", "")
            raise ChannelError(
                answer["Error"].get("Message", ""), code=code, permanent=not _tencent_retries(code)
            )
        status = (answer.get("SendStatusSet") or [{}])[0]
        code = status.get("Code", "")
        if code != "Ok":
            raise ChannelError(
                status.get("Message", "") or "SendSms failed", code=code, permanent=not _tencent_retries(code)
            )
        return status.get("SerialNo", "")


def _tencent_retries(code) -> bool:
    return code in TENCENT_RETRY or code.startswith(TENCENT_RETRY_PREFIXES)
