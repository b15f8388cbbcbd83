"""Media on S3-compatible storage (MEDIA_STORAGE_URL): uploads land in the bucket, a permitted user is
redirected to a short-lived signed address that works, anyone else gets 404, and a worker-built report
is downloadable.

The server is real, started once per session on a free port. No MinIO server ships on PyPI (the `minio`
package there is the client SDK) or in Debian, so it is moto's standalone S3 server (ThreadedMotoServer).
moto checks neither signatures nor expiry, so that a signed address is short-lived is checked on the
address itself (X-Amz-Date and X-Amz-Expires), which a real S3 server or MinIO enforces.
"""

import io
import logging
import socket
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from config.storage import parse_media_storage_url
from petitions.models import PetitionPhoto
from tests.petitions.conftest import category, challenge_fields  # noqa: F401  (fixture)
from tests.petitions.test_photo_files import png
from tests.stats.conftest import stats_world  # noqa: F401  (fixture)

KEY, SECRET = "linli-test-key", "linli/test+secret"


@pytest.fixture(scope="session")
def s3_server():
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as error:
        pytest.skip(f"no S3 server to test against: moto[server] is not installed ({error})")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # its log line for every request
    yield f"127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, tmp_path):
    """A fresh private bucket as the default storage; MEDIA_ROOT an empty folder that must stay empty."""
    name = f"linli-{uuid.uuid4().hex[:12]}"
    secret = SECRET.replace("/", "%2F").replace("+", "%2B")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": parse_media_storage_url(
            f"s3://{KEY}:{secret}@{s3_server}/{name}/media?secure=0&expire=120"
        ),
    }
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("media_bucket", stdout=out)
    assert f"Created the media bucket {name}" in out.getvalue()
    from django.core.files.storage import default_storage

    yield default_storage
    assert list(tmp_path.iterdir()) == [], "nothing is written to local files"


def _keys(storage):
    return sorted(obj.key for obj in storage.bucket.objects.all())


def _fetch(url):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def _assert_short_lived(url, seconds):
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256" and query["X-Amz-Signature"]
    assert query["X-Amz-Credential"].startswith(KEY + "/")
    assert int(query["X-Amz-Expires"]) == seconds
    signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - signed_at) < timedelta(minutes=1)


def test_the_url_form(settings):
    entry = parse_media_storage_url(
        "s3://AK:s%2Fk@files.example.cn:9000/linli/media?region=cn-north-1&secure=1&expire=60"
        "&public_url=https://pub.example.cn:9443/"
    )
    assert entry["BACKEND"] == "config.storage.PrivateS3Storage"
    o = entry["OPTIONS"]
    assert (o["access_key"], o["secret_key"], o["bucket_name"], o["location"]) == (
        "AK",
        "s/k",
        "linli",
        "media",
    )
    assert o["endpoint_url"] == "https://files.example.cn:9000"
    assert o["public_endpoint_url"] == "https://pub.example.cn:9443"
    assert (o["region_name"], o["querystring_expire"], o["file_overwrite"]) == ("cn-north-1", 60, False)
    plain = parse_media_storage_url("s3://AK:SK@minio:9000/linli?secure=0")["OPTIONS"]
    assert plain["endpoint_url"] == plain["public_endpoint_url"] == "http://minio:9000"
    assert (plain["region_name"], plain["querystring_expire"], plain["location"]) == ("us-east-1", 300, "")
    for bad, says in [
        ("https://AK:SK@minio/linli", "s3://"),
        ("s3://minio:9000/linli", "key, a secret"),
        ("s3://AK:SK@minio:9000/", "no bucket"),
        ("s3://AK:SK@minio/linli?secure=yes", "secure"),
        ("s3://AK:SK@minio/linli?expire=0", "expire"),
        ("s3://AK:SK@minio/linli?expires=60", "unknown options expires"),
        ("s3://AK:SK@minio/linli?public_url=files.example.cn", "public_url"),
    ]:
        with pytest.raises(ImproperlyConfigured, match=says):
            parse_media_storage_url(bad)


def test_a_public_photo_lands_in_the_bucket_and_only_a_permitted_user_gets_a_signed_address(
    world,
    category,  # noqa: F811
    client,
    bucket,
    settings,
):
    settings.PETITION_FORM_MIN_SECONDS = 0
    response = client.post(
        "/petitions/new/",
        {
            "kind": "request",
            "category": category.pk,
            "description": "楼道灯坏了，晚上看不见",
            "building": "b1token",
            "photos": [png("lamp.png")],
            **challenge_fields(),
        },
    )
    assert response.status_code == 302
    photo = PetitionPhoto.objects.get()
    # The photo (and the upload it was re-encoded from, kept until the transaction's end) are objects.
    assert f"media/{photo.image.name}" in _keys(bucket)

    alice = Client()
    alice.force_login(world.alice)
    response = alice.get(f"/workbench/photos/{photo.pk}/")
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    url = response["Location"]
    assert url.startswith(f"http://{bucket.endpoint_url.split('//')[1]}/{bucket.bucket_name}/media/")
    _assert_short_lived(url, 120)
    status, headers, body = _fetch(url)
    assert status == 200
    with photo.image.open("rb") as f:
        assert body == f.read() and body.startswith(b"\xff\xd8")  # re-encoded as JPEG
    assert headers["content-type"] == "image/jpeg"
    assert headers["content-disposition"].startswith("inline; filename*=UTF-8''")

    # Without the signature the bucket refuses: it is private.
    assert _fetch(url.split("?")[0])[0] == 403
    # Staff of another community, and an anonymous visitor, are never given an address.
    erin = Client()
    erin.force_login(world.erin)
    assert erin.get(f"/workbench/photos/{photo.pk}/").status_code == 404
    anonymous = Client().get(f"/workbench/photos/{photo.pk}/")
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_signed_addresses_are_made_for_the_public_address(s3_server, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": parse_media_storage_url(
            f"s3://{KEY}:k@{s3_server}/linli?secure=0&expire=30&public_url=https://files.example.cn:9443"
        ),
    }
    from django.core.files.storage import default_storage

    url = default_storage.url("petitions/2026/a.png")
    assert url.startswith("https://files.example.cn:9443/linli/petitions/2026/a.png?")
    _assert_short_lived(url, 30)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_report_built_by_the_worker_is_in_the_bucket_and_downloadable(stats_world, bucket):  # noqa: F811
    from celery.contrib.testing.worker import start_worker

    from config.celery_app import app
    from stats.models import Report
    from tests.helpers import wait_for

    w = stats_world.world
    alice = Client()
    alice.force_login(w.alice)
    with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
        alice.post(f"/stats/community/{w.c1.pk}/reports/", {"month": timezone.localdate().strftime("%Y-%m")})
        assert wait_for(lambda: Report.objects.get().status == Report.Status.DONE)
    report = Report.objects.get()
    assert _keys(bucket) == sorted([f"media/{report.xlsx.name}", f"media/{report.pdf.name}"])

    response = alice.get(f"/stats/reports/{report.pk}.xlsx")
    assert response.status_code == 302
    status, headers, body = _fetch(response["Location"])
    assert status == 200 and body.startswith(b"PK")
    assert headers["content-disposition"].startswith("attachment; filename*=UTF-8''")
    assert headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    erin = Client()
    erin.force_login(w.erin)
    assert erin.get(f"/stats/reports/{report.pk}.xlsx").status_code == 404


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_registry_import_is_read_from_the_bucket_by_the_worker(world, bucket, settings, kind):
    from celery.contrib.testing.worker import start_worker

    from config.celery_app import app
    from grids.models import Resident
    from imports import services
    from imports.models import ImportJob
    from tests.helpers import wait_for
    from tests.imports.conftest import csv_file, person, xlsx_file

    settings.IMPORTS_INLINE_MAX_BYTES = 0  # the worker reads the file, from the bucket
    rows = [person(world, 300 + i, 姓名=f"桶居民{i}", 房号=f"2{i:02d}") for i in range(3)]
    upload = xlsx_file(rows) if kind == "xlsx" else csv_file(rows)
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, shutdown_timeout=10):
        job = services.job_create(community=world.c1, file=upload, by=world.alice)
        assert f"media/{job.file.name}" in _keys(bucket)
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.READY)
        services.job_confirm(job=job, by=world.alice)
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE, timeout=30)
    assert Resident.objects.filter(name__startswith="桶居民").count() == 3
