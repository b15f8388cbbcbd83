"""The two anonymous endpoints refuse a JSON body that is not an object with 400 and the API's error
shape, in Chinese, instead of failing with 500."""

import json

import pytest

from petitions.models import Petition, PhoneCode

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/petitions/", "/api/v1/petitions/phone-code/"])
@pytest.mark.parametrize("body", [[None, None], "x", 42, None, True])
def test_a_json_body_that_is_not_an_object_is_refused(client, url, body):
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求内容须为带字段名的 JSON 对象。"}
    assert not Petition.objects.exists() and not PhoneCode.objects.exists()


def test_malformed_json_keeps_the_same_shape(client):
    response = client.post("/api/v1/petitions/", "{oops", content_type="application/json")
    assert response.status_code == 400 and list(response.json()) == ["detail"]
