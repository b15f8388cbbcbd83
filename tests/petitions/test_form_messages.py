"""The public and phone forms speak plainly (config.forms.PlainMessagesMixin), not in Django's default
wording ("确保该变量至少包含 4 字符(目前字符数 3)")."""

from django import forms
from django.utils import translation

from config.forms import PlainMessagesMixin
from dashboard.forms import RevealForm
from petitions.models import Petition


def test_public_form_errors_are_plain_chinese(world, client, public_post):
    response = public_post(building="b1token", description="灯坏了", captcha_answer="")
    page = response.content.decode()
    assert "请至少写 4 个字" in page
    assert "请填写这一项" in page
    assert "确保该" not in page and "这个字段是必填项" not in page
    response = public_post(building="b1token", description="灯" * 2001)
    assert "最多写 2000 个字（现在 2001 个）" in response.content.decode()
    response = public_post(building="b1token", category="999999")
    assert "请从选项中选择一个" in response.content.decode()
    assert Petition.objects.count() == 0


def test_rating_form_on_the_tracking_page_is_plain_too(world, client, submit):
    from petitions import services as s

    p = submit(world)
    s.petition_accept(petition=p, by=world.bob)
    s.petition_start(petition=p, by=world.bob)
    s.petition_resolve(petition=p, by=world.bob, note="已更换灯泡")
    response = client.post(f"/petitions/track/{p.tracking_code}/", {"solved": "yes"})
    # The form is shown again with its error, the item untouched.
    assert response.status_code == 200 and "请填写这一项" in response.content.decode()
    p.refresh_from_db()
    assert p.status == "resolved"


def test_dashboard_campaign_form_errors_are_plain_chinese(world, client):
    client.force_login(world.alice)
    response = client.post(
        "/dashboard/campaigns/new/",
        {"name": "", "patch": "grid:999999", "starts_on": "2024-13-40", "ends_on": "2024-06-30"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "请填写这一项" in page and "请填写正确的日期" in page and "请从选项中选择一个" in page


def test_phone_reveal_reason_is_plain_chinese(world):
    with translation.override("zh-hans"):
        form = RevealForm({"field": "phone", "reason": "看"})
        assert not form.is_valid()
        assert form.errors["reason"] == ["请至少写 2 个字"]


def test_a_forms_own_messages_are_kept():
    class OwnWords(PlainMessagesMixin, forms.Form):
        name = forms.CharField(error_messages={"required": "请写上称呼"})
        age = forms.IntegerField(min_value=60)

    with translation.override("zh-hans"):
        form = OwnWords({"name": "", "age": "五十"})
        form.is_valid()
        assert form.errors == {"name": ["请写上称呼"], "age": ["请填写一个整数"]}
        form = OwnWords({"name": "王", "age": "59"})
        form.is_valid()
        assert form.errors == {"age": ["请填写 60 或更大的数"]}
