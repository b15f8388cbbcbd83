"""Chinese by default; English when the browser asks for it or the switcher picks it."""

import pytest

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db]


def _lang(response):
    body = response.content.decode()
    return body.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("accept", [None, "zh-CN,zh;q=0.9", "zh-TW", "zh", "fr-FR"])
def test_chinese_when_the_browser_asks_for_nothing_chinese_or_unsupported(client, accept):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = client.get("/", **headers)
    assert response.status_code == 200
    assert _lang(response) == "zh-hans"
    assert "我要反映诉求" in response.content.decode()


def test_english_when_the_browser_prefers_it(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert _lang(response) == "en"
    assert "Raise a request" in response.content.decode()


def test_switcher_posts_to_set_language_and_comes_back(client):
    page = client.get("/admin/login/?next=/admin/").content.decode()
    assert 'action="/i18n/setlang/"' in client.get("/").content.decode()
    assert "登录" in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/?x=1"})
    assert response.status_code == 302 and response["Location"] == "/?x=1"
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert _lang(english) == "en"
    assert "Raise a request" in english.content.decode()

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert _lang(client.get("/")) == "zh-hans"


def test_switcher_works_without_javascript(client):
    body = client.get("/").content.decode()
    form = body[body.index('<form action="/i18n/setlang/"') :]
    form = form[: form.index("</form>")]
    # With JavaScript the select submits on change (static/linli/linli.js: the CSP allows no inline
    # handler); without it, a plain submit button is shown.
    assert "data-autosubmit" in form and "linli/linli.js" in body
    assert "<noscript><button" in form and "切换" in form
    assert 'name="next"' in form and 'name="csrfmiddlewaretoken"' in form
