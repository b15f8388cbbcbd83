"""The WeChat channel against a local stub of api.weixin.qq.com: the cached access token, binding by the
web authorisation code, reminders as outbox rows sent once, retried on a passing error, given up on a
permanent one."""

import datetime
import json

import pytest
from django.core import signing
from django.utils import timezone

from notifications import wechat
from notifications.models import WeChatAccessToken, WeChatBinding, WeChatFollow, WeChatMessage
from notifications.services import notify
from notifications.views import FOLLOW_STATE_SALT, WECHAT_STATE_SALT
from petitions import services as petition_services
from petitions.models import Petition
from petitions.services import sweep as outbox_sweep

from .stubs import StubProvider

pytestmark = pytest.mark.django_db

APP_ID, SECRET = "wx-test-app", "wx-test-secret"


class WeChatStub:
    """Issues tokens at /cgi-bin/token and refuses a message whose access_token it did not issue (or
    has since replaced), as WeChat does with 40001."""

    def __init__(self):
        self.issued = []

    def check(self, request):
        path, q = request["path"], request["query"]
        if path == "/cgi-bin/token":
            if (
                q.get("appid") != APP_ID
                or q.get("secret") != SECRET
                or q.get("grant_type") != "client_credential"
            ):
                return 200, {"errcode": 40013, "errmsg": "invalid appid"}
            self.issued.append(f"token-{len(self.issued) + 1}")
            return 200, {"access_token": self.issued[-1], "expires_in": 7200}
        if path == "/sns/oauth2/access_token":
            if q.get("secret") != SECRET or q.get("grant_type") != "authorization_code":
                return 200, {"errcode": 40029, "errmsg": "invalid code"}
            if q.get("code") != "good-code":
                return 200, {"errcode": 40029, "errmsg": "invalid code"}
            return 200, {
                "access_token": "web",
                "expires_in": 7200,
                "openid": "o-carol",
                "scope": "snsapi_base",
            }
        if path.startswith("/cgi-bin/message/") and (
            not self.issued or q.get("access_token") != self.issued[-1]
        ):
            return 200, {"errcode": 40001, "errmsg": "invalid credential"}
        return None


@pytest.fixture
def wx(settings):
    logic = WeChatStub()
    with StubProvider(logic.check, (200, {"errcode": 0, "errmsg": "ok", "msgid": 1})) as stub:
        settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET = APP_ID, SECRET
        settings.WECHAT_API_BASE = stub.url
        settings.WECHAT_TEMPLATE_IDS = {"reminder": "tmpl-reminder"}
        settings.PUBLIC_BASE_URL = "https://linli.example.org"
        stub.logic = logic
        yield stub


def messages_sent(stub):
    return [r for r in stub.requests if r["path"].startswith("/cgi-bin/message/")]


def token_fetches(stub):
    return [r for r in stub.requests if r["path"] == "/cgi-bin/token"]


def test_the_token_is_cached_and_refreshed_before_expiry(wx):
    now = timezone.now()
    assert wechat.access_token(now) == "token-1"
    assert wechat.access_token(now + datetime.timedelta(minutes=100)) == "token-1"
    assert len(token_fetches(wx)) == 1
    row = WeChatAccessToken.objects.get()
    assert row.expires_at == now + datetime.timedelta(seconds=7200)
    # Five minutes before it expires a new one is fetched.
    assert wechat.access_token(now + datetime.timedelta(minutes=116)) == "token-2"
    assert len(token_fetches(wx)) == 2


def test_binding_by_the_authorisation_code_and_the_signed_state(world, wx, client_for):
    client = client_for(world.bob)
    page = client.get("/notifications/wechat/").content.decode()
    assert "open.weixin.qq.com/connect/oauth2/authorize" in page and "snsapi_base" in page
    mine = signing.dumps(world.bob.pk, salt=WECHAT_STATE_SALT)
    theirs = signing.dumps(world.dave.pk, salt=WECHAT_STATE_SALT)
    assert (
        client.get("/notifications/wechat/callback/", {"code": "good-code", "state": theirs}).status_code
        == 302
    )
    assert not WeChatBinding.objects.exists()
    client.get("/notifications/wechat/callback/", {"code": "bad-code", "state": mine})
    assert not WeChatBinding.objects.exists()
    client.get("/notifications/wechat/callback/", {"code": "good-code", "state": mine})
    assert WeChatBinding.objects.get().openid == "o-carol" and WeChatBinding.objects.get().user == world.bob
    assert "解除微信绑定" in client.get("/notifications/wechat/").content.decode()
    client.post("/notifications/wechat/unbind/")
    assert not WeChatBinding.objects.exists()


def bind(user, openid="o-bob", app=WeChatBinding.App.OFFICIAL_ACCOUNT):
    return WeChatBinding.objects.create(user=user, openid=openid, app=app)


def test_a_reminder_goes_to_wechat_once_with_the_template_and_key(world, wx):
    bind(world.bob)
    notify(user=world.bob, title="请在今天处理 AB12", body="楼道堆物", url="/workbench/1/", dedup_key="e1")
    notify(user=world.bob, title="请在今天处理 AB12", body="楼道堆物", url="/workbench/1/", dedup_key="e1")
    notify(user=world.dave, title="不绑定的人", dedup_key="e1")  # dave has no binding: inbox only
    assert WeChatMessage.objects.count() == 1
    outbox_sweep.sweep(now=timezone.now())
    outbox_sweep.sweep(now=timezone.now() + datetime.timedelta(hours=1))
    (sent,) = messages_sent(wx)
    body = json.loads(sent["body"])
    assert sent["path"] == "/cgi-bin/message/template/send"
    assert body["touser"] == "o-bob" and body["template_id"] == "tmpl-reminder"
    assert (
        body["data"]["thing1"] == {"value": "请在今天处理 AB12"}
        and body["data"]["thing2"]["value"] == "楼道堆物"
    )
    assert body["url"] == "https://linli.example.org/workbench/1/"
    assert body["client_msg_id"] == f"wx{WeChatMessage.objects.get().pk}"
    assert WeChatMessage.objects.get().sent_at is not None


def test_a_mini_program_binding_gets_a_subscribe_message(world, wx):
    bind(world.bob, app=WeChatBinding.App.MINI_PROGRAM)
    notify(user=world.bob, title="新工作", url="/workbench/2/", dedup_key="e2")
    outbox_sweep.sweep(now=timezone.now())
    (sent,) = messages_sent(wx)
    body = json.loads(sent["body"])
    assert sent["path"] == "/cgi-bin/message/subscribe/send" and body["page"] == "pages/index/index"


def test_a_refused_token_is_replaced_and_the_message_sent_at_once(world, wx):
    bind(world.bob)
    WeChatAccessToken.objects.create(
        app_id=APP_ID, token="stale", expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    notify(user=world.bob, title="提醒", dedup_key="e3")
    outbox_sweep.sweep(now=timezone.now())
    row = WeChatMessage.objects.get()
    # One attempt: the refused token was replaced inside it, not by a retry of the row.
    assert row.sent_at is not None and row.attempts == 1 and not row.skipped
    assert [r["query"]["access_token"] for r in messages_sent(wx)] == ["stale", "token-1"]
    assert WeChatAccessToken.objects.get().token == "token-1"


def test_a_busy_wechat_is_retried_by_the_outbox_and_sent_once(world, wx):
    bind(world.bob)
    notify(user=world.bob, title="提醒", dedup_key="e6")
    row = WeChatMessage.objects.get()
    wx.queue((200, {"errcode": -1, "errmsg": "system error"}))
    now = timezone.now()
    outbox_sweep.sweep(now=now)
    row.refresh_from_db()
    assert row.sent_at is None and row.attempts == 1 and "-1" in row.last_error and row.due_at > now
    outbox_sweep.sweep(now=row.due_at)
    row.refresh_from_db()
    assert row.sent_at is not None and not row.skipped
    outbox_sweep.sweep(now=row.due_at + datetime.timedelta(hours=1))
    assert len(messages_sent(wx)) == 2
    assert {json.loads(r["body"])["client_msg_id"] for r in messages_sent(wx)} == {f"wx{row.pk}"}


def test_a_user_who_unfollowed_is_given_up_at_once(world, wx):
    bind(world.bob)
    notify(user=world.bob, title="提醒", dedup_key="e4")
    wechat.access_token()
    wx.queue((200, {"errcode": 43004, "errmsg": "require subscribe"}))
    outbox_sweep.sweep(now=timezone.now())
    row = WeChatMessage.objects.get()
    assert row.skipped and row.attempts == 1 and "43004" in row.last_error
    outbox_sweep.sweep(now=timezone.now() + datetime.timedelta(days=1))
    assert len(messages_sent(wx)) == 1


def test_without_wechat_settings_nothing_is_queued(world, settings):
    settings.WECHAT_APP_ID = ""
    bind(world.bob)
    notify(user=world.bob, title="提醒", dedup_key="e5")
    assert not WeChatMessage.objects.exists()


def test_a_resident_follows_a_request_from_its_tracking_page_and_gets_its_public_steps(
    world, wx, client, settings
):
    settings.WECHAT_TEMPLATE_IDS = {"reminder": "tmpl-reminder", "status": "tmpl-status"}
    p = petition_services.petition_submit(
        kind=Petition.Kind.REQUEST,
        category=None,
        description="路灯不亮",
        channel=Petition.Channel.PUBLIC,
        building=world.b1,
    )
    page = client.get(f"/petitions/track/{p.tracking_code}/").content.decode()
    assert 'id="wechat-follow"' in page
    start = client.get(f"/notifications/wechat/follow/{p.tracking_code}/")
    assert start.status_code == 302 and "open.weixin.qq.com/connect/oauth2/authorize" in start["Location"]
    state = signing.dumps(p.tracking_code, salt=FOLLOW_STATE_SALT)
    forged = client.get("/notifications/wechat/follow/callback/", {"code": "good-code", "state": "x"})
    assert forged.status_code == 404
    back = client.get("/notifications/wechat/follow/callback/", {"code": "good-code", "state": state})
    assert back.status_code == 302 and back["Location"] == f"/petitions/track/{p.tracking_code}/"
    assert WeChatFollow.objects.get().openid == "o-carol"
    petition_services.petition_accept(petition=p, by=world.alice)
    outbox_sweep.sweep(now=timezone.now() + datetime.timedelta(seconds=1))
    status = [json.loads(r["body"]) for r in messages_sent(wx)]
    assert len(status) == 1 and status[0]["touser"] == "o-carol" and status[0]["template_id"] == "tmpl-status"
    assert status[0]["data"]["character_string1"] == {"value": p.tracking_code}
    assert status[0]["data"]["phrase2"] == {"value": "已受理"}
    assert status[0]["url"] == f"https://linli.example.org/petitions/track/{p.tracking_code}/"


def test_no_follow_link_without_wechat(world, client, settings):
    settings.WECHAT_APP_ID = ""
    p = petition_services.petition_submit(
        kind=Petition.Kind.REQUEST,
        category=None,
        description="路灯不亮",
        channel=Petition.Channel.PUBLIC,
        building=world.b1,
    )
    assert 'id="wechat-follow"' not in client.get(f"/petitions/track/{p.tracking_code}/").content.decode()
    assert client.get(f"/notifications/wechat/follow/{p.tracking_code}/").status_code == 404
