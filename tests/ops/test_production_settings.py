"""Production settings: refuse to start without their secrets, pass `check --deploy`, keep /healthz on HTTP."""

import json
import re
import subprocess

import pytest
from cryptography.fernet import Fernet

from .conftest import PYTHON, ROOT

REQUIRED = [
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "FIELD_ENCRYPTION_KEYS",
    "BLIND_INDEX_KEY",
]


@pytest.fixture
def production_env(laptop_env, tmp_path):
    env = dict(laptop_env)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="k7#Q-not-a-real-secret-but-long-and-varied-enough-9Zp!xT2@vL5&mR8^wB3",
        ALLOWED_HOSTS="linli.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:1/0",
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        BLIND_INDEX_KEY="a-blind-index-key-for-this-test-only",
    )
    return env


def _manage(env, *args):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_refuses_to_start_without_any_secret(laptop_env):
    env = {k: v for k, v in laptop_env.items() if k not in REQUIRED}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = _manage(env, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    for name in REQUIRED:
        assert name in result.stderr


EACH_MISSING = """
import importlib, json, os, sys
full = dict(os.environ)
out = {}
for name in sys.argv[1:]:
    os.environ.clear()
    os.environ.update(full, **{name: ""})
    for module in [m for m in sys.modules if m.startswith("config.settings")]:
        del sys.modules[module]
    try:
        importlib.import_module("config.settings.production")
        out[name] = "started"
    except Exception as exc:
        out[name] = f"{type(exc).__name__}: {exc}"
print(json.dumps(out))
"""


def test_refuses_to_start_without_each_secret(production_env):
    # One interpreter imports the settings once per missing variable (a subprocess each would be slow).
    result = subprocess.run(
        [PYTHON, "-c", EACH_MISSING, *REQUIRED], cwd=ROOT, env=production_env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    for name in REQUIRED:
        assert out[name] == (
            f"ImproperlyConfigured: Production settings need these environment variables: {name}"
        )


def test_refuses_the_development_encryption_key(production_env):
    from django.conf import settings

    production_env["FIELD_ENCRYPTION_KEYS"] = settings.DEV_FIELD_ENCRYPTION_KEY
    result = _manage(production_env, "check")
    assert result.returncode != 0
    assert "development key" in result.stderr


def test_check_deploy_reports_nothing(production_env):
    result = _manage(production_env, "check", "--deploy")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


PROBE = """
import json, django
django.setup()
from django.test import Client
c = Client()
out = {}
for path in ("/accounts/login/", "/healthz"):
    r = c.get(path, HTTP_HOST="linli.example.org")
    out[path] = [r.status_code, r.get("Location", "")]
r = c.get("/healthz", HTTP_HOST="linli.example.org", HTTP_X_FORWARDED_PROTO="https")
out["https"] = [r.status_code, r.get("Strict-Transport-Security", "")]
r = c.get("/", HTTP_HOST="linli.example.org", HTTP_X_FORWARDED_PROTO="https")
out["home"] = [r.status_code, r.content.decode()]
print(json.dumps(out))
"""


def test_https_redirect_spares_healthz_and_static_files_are_collected(production_env, tmp_path):
    # collectstatic with the manifest storage of production: a template naming a missing static file
    # would fail here instead of answering 500 on the server.
    production_env["STATIC_ROOT"] = str(tmp_path / "static")
    collected = _manage(production_env, "collectstatic", "--noinput")
    assert collected.returncode == 0, collected.stderr
    result = subprocess.run(
        [PYTHON, "-c", PROBE], cwd=ROOT, env=production_env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["/accounts/login/"] == [301, "https://linli.example.org/accounts/login/"]
    # Answered over plain HTTP, not redirected. 503 here: this database has no tables, the broker is closed.
    assert out["/healthz"][0] == 503
    # Behind the proxy (X-Forwarded-Proto: https) the response carries HSTS.
    assert "max-age=31536000" in out["https"][1]
    status, home = out["home"]
    assert status == 200 and "邻里" in home
    # The stylesheet is named by its hash (CompressedManifestStaticFilesStorage), ready for long caching.
    assert re.search(r'href="/static/linli/linli\.[0-9a-f]{12}\.css"', home)
