"""Alibaba Cloud and Tencent Cloud SMS against a local stub that checks each request's signature the way
the provider documents it, and the outbox's retry of a retryable error versus giving up a permanent one."""

import base64
import datetime
import hashlib
import hmac
import json
from urllib.parse import quote

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from notifications.outbound import ChannelError
from notifications.sms import send_sms
from petitions import services as petition_services
from petitions.models import Outbox, Petition
from petitions.services import sweep as outbox_sweep

from .stubs import StubProvider

pytestmark = pytest.mark.django_db

ALIYUN_KEY, ALIYUN_SECRET = "LTAI-test-key", "aliyun-test-secret"
TENCENT_ID, TENCENT_KEY = "AKID-test", "tencent-test-key"
TEMPLATES = {"petition_accepted": "SMS_900001", "verify_code": "SMS_900002"}


def aliyun_check(request):
    """Signature v1 as Alibaba Cloud documents it: every parameter but Signature, sorted by name, each name
    and value percent-encoded (RFC 3986), joined with & and =; StringToSign = GET&%2F&encode(that);
    HMAC-SHA1 with AccessKeySecret + "&", base64."""
    params = dict(request["query"])
    given = params.pop("Signature", "")

    def enc(s):
        return quote(s, safe="~")

    canonical = "&".join(f"{enc(k)}={enc(params[k])}" for k in sorted(params))
    string_to_sign = f"{request['method']}&{enc('/')}&{enc(canonical)}"
    expected = base64.b64encode(
        hmac.new(f"{ALIYUN_SECRET}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    ).decode()
    if params.get("AccessKeyId") != ALIYUN_KEY or given != expected:
        return 400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched."}
    if params.get("SignatureMethod") != "HMAC-SHA1" or params.get("Action") != "SendSms":
        return 400, {"Code": "InvalidParameter", "Message": "bad common parameters"}
    return None


def tencent_check(request):
    """TC3-HMAC-SHA256 as Tencent Cloud documents it: CanonicalRequest = method, URI, query, the signed
    headers (lower-case name:trimmed value), their names, hex SHA-256 of the body; StringToSign = algorithm,
    timestamp, date/service/tc3_request, hex SHA-256 of CanonicalRequest; the key chain TC3+SecretKey →
    date → service → tc3_request."""
    headers = request["headers"]
    auth = headers.get("authorization", "")
    fail = (200, {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "bad"}}})
    if not auth.startswith("TC3-HMAC-SHA256 "):
        return fail
    fields = dict(part.strip().split("=", 1) for part in auth[len("TC3-HMAC-SHA256 ") :].split(","))
    secret_id, date, service, terminator = fields["Credential"].split("/")
    signed = fields["SignedHeaders"].split(";")
    timestamp = headers["x-tc-timestamp"]
    day = datetime.datetime.fromtimestamp(int(timestamp), datetime.UTC).strftime("%Y-%m-%d")
    if secret_id != TENCENT_ID or date != day or service != "sms" or terminator != "tc3_request":
        return fail
    if "content-type" not in signed or "host" not in signed:
        return fail
    canonical_headers = "".join(
        f"{name}:{headers[name].strip().lower() if name == 'x-tc-action' else headers[name].strip()}\n"
        for name in signed
    )
    canonical = "\n".join(
        ["POST", "/", "", canonical_headers, ";".join(signed), hashlib.sha256(request["body"]).hexdigest()]
    )
    to_sign = "\n".join(
        [
            "TC3-HMAC-SHA256",
            timestamp,
            f"{date}/sms/tc3_request",
            hashlib.sha256(canonical.encode()).hexdigest(),
        ]
    )
    key = hmac.new(f"TC3{TENCENT_KEY}".encode(), date.encode(), hashlib.sha256).digest()
    key = hmac.new(key, b"sms", hashlib.sha256).digest()
    key = hmac.new(key, b"tc3_request", hashlib.sha256).digest()
    if hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest() != fields["Signature"]:
        return fail
    if headers.get("x-tc-action") != "SendSms" or headers.get("x-tc-version") != "2021-01-11":
        return 200, {"Response": {"Error": {"Code": "InvalidAction", "Message": "bad action"}}}
    return None


ALIYUN_OK = (200, {"Code": "OK", "Message": "OK", "BizId": "900001^0", "RequestId": "r1"})


def tencent_ok(request):
    body = json.loads(request["body"])
    return {
        "Response": {
            "SendStatusSet": [
                {
                    "SerialNo": "2640:1",
                    "PhoneNumber": body["PhoneNumberSet"][0],
                    "Code": "Ok",
                    "Message": "send success",
                }
            ],
            "RequestId": "r1",
        }
    }


def tencent_error(code):
    return 200, {"Response": {"Error": {"Code": code, "Message": code}, "RequestId": "r2"}}


def tencent_status(code):
    return 200, {"Response": {"SendStatusSet": [{"Code": code, "Message": code}], "RequestId": "r3"}}


@pytest.fixture
def aliyun(settings):
    with StubProvider(aliyun_check, ALIYUN_OK) as stub:
        settings.SMS_BACKEND = "notifications.sms_providers.AliyunSmsBackend"
        settings.ALIYUN_SMS_ENDPOINT = stub.url
        settings.ALIYUN_SMS_ACCESS_KEY_ID, settings.ALIYUN_SMS_ACCESS_KEY_SECRET = ALIYUN_KEY, ALIYUN_SECRET
        settings.SMS_SIGN_NAME = "邻里社区"
        settings.SMS_TEMPLATE_CODES = TEMPLATES
        yield stub


@pytest.fixture
def tencent(settings):
    with StubProvider(tencent_check, (200, tencent_ok)) as stub:
        settings.SMS_BACKEND = "notifications.sms_providers.TencentSmsBackend"
        settings.TENCENT_SMS_ENDPOINT = stub.url
        settings.TENCENT_SMS_SECRET_ID, settings.TENCENT_SMS_SECRET_KEY = TENCENT_ID, TENCENT_KEY
        settings.TENCENT_SMS_APP_ID = "1400000001"
        settings.SMS_SIGN_NAME = "邻里社区"
        settings.SMS_TEMPLATE_CODES = TEMPLATES
        yield stub


def test_aliyun_request_is_signed_and_carries_template_params_and_key(aliyun):
    send_sms(
        phone="13812345678", template="verify_code", params={"code": "482916"}, idempotency_key="phonecode:7"
    )
    (request,) = aliyun.requests
    q = request["query"]
    assert q["PhoneNumbers"] == "13812345678" and q["TemplateCode"] == "SMS_900002"
    assert json.loads(q["TemplateParam"]) == {"code": "482916"} and q["SignName"] == "邻里社区"
    assert q["OutId"] == "phonecode:7" and q["Version"] == "2017-05-25"


def test_aliyun_wrong_secret_is_refused_by_the_stub(aliyun, settings):
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "not-the-secret"
    with pytest.raises(ChannelError) as error:
        send_sms(phone="13812345678", template="verify_code", params={"code": "1"}, idempotency_key="k")
    assert error.value.code == "SignatureDoesNotMatch" and error.value.permanent


@pytest.mark.parametrize(
    ("code", "permanent"),
    [
        ("isv.BUSINESS_LIMIT_CONTROL", False),
        ("isp.SYSTEM_ERROR", False),
        ("isv.MOBILE_NUMBER_ILLEGAL", True),
        ("isv.SMS_TEMPLATE_ILLEGAL", True),
        ("isv.AMOUNT_NOT_ENOUGH", True),
    ],
)
def test_aliyun_error_codes_map_to_retry_or_give_up(aliyun, code, permanent):
    aliyun.queue((200, {"Code": code, "Message": code}))
    with pytest.raises(ChannelError) as error:
        send_sms(phone="13812345678", template="verify_code", params={"code": "1"}, idempotency_key="k")
    assert error.value.code == code and error.value.permanent is permanent


def test_tencent_request_is_signed_and_carries_template_params_and_key(tencent):
    send_sms(
        phone="13812345678",
        template="petition_accepted",
        params={"code": "AB12CD34", "status": "已受理"},
        idempotency_key="outbox:42",
    )
    (body,) = tencent.bodies
    assert body["PhoneNumberSet"] == ["+8613812345678"] and body["TemplateId"] == "SMS_900001"
    assert body["TemplateParamSet"] == ["AB12CD34", "已受理"] and body["SmsSdkAppId"] == "1400000001"
    assert body["SessionContext"] == "outbox:42" and body["SignName"] == "邻里社区"


def test_tencent_wrong_key_is_refused_by_the_stub(tencent, settings):
    settings.TENCENT_SMS_SECRET_KEY = "wrong"
    with pytest.raises(ChannelError) as error:
        send_sms(phone="13812345678", template="verify_code", params={"code": "1"}, idempotency_key="k")
    assert error.value.code == "AuthFailure.SignatureFailure" and error.value.permanent


@pytest.mark.parametrize(
    ("answer", "permanent"),
    [
        (tencent_error("InternalError.Timeout"), False),
        (tencent_error("RequestLimitExceeded"), False),
        (tencent_status("LimitExceeded.PhoneNumberThirtySecondLimit"), False),
        (tencent_status("InvalidParameterValue.IncorrectPhoneNumber"), True),
        (tencent_status("FailedOperation.TemplateIncorrectOrUnapproved"), True),
        (tencent_error("FailedOperation.InsufficientBalanceInSmsPackage"), True),
        ((503, {}), False),
    ],
)
def test_tencent_error_codes_map_to_retry_or_give_up(tencent, answer, permanent):
    tencent.queue(answer)
    with pytest.raises(ChannelError) as error:
        send_sms(phone="13812345678", template="verify_code", params={"code": "1"}, idempotency_key="k")
    assert error.value.permanent is permanent


def test_a_template_without_a_provider_code_is_given_up(aliyun):
    with pytest.raises(ChannelError) as error:
        send_sms(phone="13812345678", template="unknown", params={}, idempotency_key="k")
    assert error.value.permanent and not aliyun.requests


def _accepted_with_phone(world):
    p = petition_services.petition_submit(
        kind=Petition.Kind.REQUEST,
        category=None,
        description="路灯不亮",
        channel=Petition.Channel.PHONE,
        community=world.c1,
        phone="13812345678",
        by=world.alice,
    )
    petition_services.petition_accept(petition=p, by=world.alice)
    return Outbox.objects.get(petition=p, kind=Outbox.Kind.SMS_ACCEPTED)


def _sms_requests(stub):
    return [r for r in stub.requests if r["query"].get("TemplateCode") == "SMS_900001"]


def test_a_retryable_error_is_retried_by_the_outbox_and_sent_once(world, aliyun):
    row = _accepted_with_phone(world)
    aliyun.queue((200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控"}))
    now = timezone.now()
    outbox_sweep.sweep(now=now)
    row.refresh_from_db()
    assert row.sent_at is None and row.attempts == 1 and "BUSINESS_LIMIT_CONTROL" in row.last_error
    assert row.due_at > now
    outbox_sweep.sweep(now=row.due_at)
    row.refresh_from_db()
    assert row.sent_at is not None and not row.skipped
    outbox_sweep.sweep(now=row.due_at + datetime.timedelta(hours=1))
    requests = _sms_requests(aliyun)
    assert len(requests) == 2 and {r["query"]["OutId"] for r in requests} == {requests[0]["query"]["OutId"]}


def test_a_permanent_error_is_recorded_and_not_retried(world, tencent):
    row = _accepted_with_phone(world)
    tencent.queue(tencent_status("InvalidParameterValue.IncorrectPhoneNumber"))
    outbox_sweep.sweep(now=timezone.now())
    row.refresh_from_db()
    assert row.skipped and row.sent_at is not None and row.attempts == 1
    assert "IncorrectPhoneNumber" in row.last_error
    outbox_sweep.sweep(now=timezone.now() + datetime.timedelta(days=1))
    assert len([b for b in tencent.bodies if b["TemplateId"] == "SMS_900001"]) == 1


def test_a_code_the_provider_could_not_send_gets_a_message_not_an_error_page(aliyun):
    aliyun.queue((200, {"Code": "isp.SYSTEM_ERROR", "Message": "系统错误"}))
    response = APIClient().post("/api/v1/petitions/phone-code/", {"phone": "13812345678"}, format="json")
    assert response.status_code == 503 and "请稍后" in response.json()["detail"]
    assert [r["query"]["PhoneNumbers"] for r in aliyun.requests] == ["13812345678"]
