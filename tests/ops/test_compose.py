"""docker-compose.yml, Dockerfile and .env.example: valid for docker-compose 1.29 and pointing at real code."""

import os
import re
import shutil
import subprocess

import pytest
import yaml

from .conftest import ROOT

SERVICES = {"web", "worker", "worker-exports", "beat", "postgres", "redis", "minio", "proxy"}


def _compose_binary():
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ):
        return ["docker", "compose"]
    if os.environ.get("CI"):
        pytest.fail("docker-compose is missing: .ci/run installs the Debian package docker-compose")
    pytest.skip("docker-compose is not installed (apt-get install docker-compose)")


@pytest.fixture(scope="module")
def compose_config(tmp_path_factory):
    """`docker-compose config` in a copy of the tree whose .env is .env.example, parsed."""
    workdir = tmp_path_factory.mktemp("compose")
    for name in ("docker-compose.yml", "Dockerfile", ".dockerignore"):
        shutil.copy(ROOT / name, workdir / name)
    shutil.copytree(ROOT / "deploy", workdir / "deploy")
    shutil.copy(ROOT / ".env.example", workdir / ".env")
    result = subprocess.run(
        [*_compose_binary(), "config"], cwd=workdir, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return yaml.safe_load(result.stdout)


def test_every_service_is_there_with_health_checks_and_volumes(compose_config):
    services = compose_config["services"]
    assert set(services) == SERVICES
    for name in SERVICES - {"beat"}:
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no health check"
    assert {"pgdata", "redisdata", "media", "static", "miniodata"} <= set(compose_config["volumes"])
    assert any(
        "/var/lib/postgresql/data" in v if isinstance(v, str) else v["target"] == "/var/lib/postgresql/data"
        for v in services["postgres"]["volumes"]
    )


def test_app_services_use_production_settings_and_the_compose_services(compose_config):
    from config.storage import parse_media_storage_url

    minio = compose_config["services"]["minio"]
    for name in ("web", "worker", "worker-exports", "beat"):
        env = compose_config["services"][name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert env["DATABASE_URL"] == "postgres://linli:change-me@postgres:5432/linli"
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        # Media in the minio service, with its credentials; signed addresses for the proxy's port 9443.
        media = parse_media_storage_url(env["MEDIA_STORAGE_URL"])["OPTIONS"]
        assert media["endpoint_url"] == "http://minio:9000"
        assert media["access_key"] == minio["environment"]["MINIO_ROOT_USER"]
        assert media["secret_key"] == minio["environment"]["MINIO_ROOT_PASSWORD"]
        assert media["public_endpoint_url"] == "https://linli.example.org:9443"
        if name != "beat":  # beat touches no file
            assert compose_config["services"][name]["depends_on"]["minio"]["condition"] == "service_healthy"
    assert len(minio["environment"]["MINIO_ROOT_PASSWORD"]) >= 8, "minio refuses shorter passwords"
    ports = compose_config["services"]["proxy"]["ports"]
    assert any(str(p.get("published") if isinstance(p, dict) else p).startswith("9443") for p in ports)


def _command(service):
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_commands_point_at_code_that_exists(compose_config):
    from django.core.management import get_commands

    services = compose_config["services"]
    web = _command(services["web"])
    # gunicorn serves config.wsgi:application
    module, attr = re.search(r"gunicorn ([\w.]+):(\w+)", web).groups()
    assert (module, attr) == ("config.wsgi", "application")
    import config.wsgi

    assert callable(config.wsgi.application)
    # every manage.py command the services run exists
    commands = re.findall(
        r"manage\.py (\w+)", " ".join(_command(s) for s in services.values() if "command" in s)
    )
    assert commands, "web runs migrate and collectstatic"
    for command in commands:
        assert command in get_commands(), command
    # worker and beat run the Celery app `config`
    from config import celery_app

    assert celery_app.main == "linli"
    assert re.match(r"celery -A config worker\b", _command(services["worker"]))
    assert re.match(r"celery -A config worker\b", _command(services["worker-exports"]))
    assert re.match(r"celery -A config beat\b", _command(services["beat"]))
    # the health check script of web, and the nginx template of the proxy, are in the tree
    assert services["web"]["healthcheck"]["test"][-1] == "scripts/healthcheck.py"
    assert (ROOT / "scripts" / "healthcheck.py").is_file()
    assert (ROOT / "deploy" / "nginx.conf.template").is_file()
    lock = (ROOT / "requirements" / "base.lock").read_text()
    for package in ("gunicorn==", "celery==", "psycopg2-binary==", "whitenoise=="):
        assert package in lock


def test_dockerfile_installs_the_lock_and_collects_static():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile
    assert "pip install -r requirements/base.lock" in dockerfile
    assert "manage.py collectstatic --noinput" in dockerfile
    assert 'CMD ["gunicorn", "config.wsgi:application"' in dockerfile


def test_proxy_serves_static_and_media_only_internally():
    conf = (ROOT / "deploy" / "nginx.conf.template").read_text()
    assert "ssl_certificate " in conf and "listen 443 ssl" in conf
    assert "location /static/" in conf
    internal = conf[conf.index("location /protected-media/") :]
    assert internal.split("}")[0].strip().splitlines()[1].strip() == "internal;"
    assert "location /media/ {\n        return 404;" in conf
    assert "X-Forwarded-Proto https" in conf
    # Signed downloads from minio: on their own port, read-only, with the Host the signature covers.
    files = conf[conf.index("listen 9443 ssl") :]
    assert "proxy_pass http://linli_files;" in files and "proxy_set_header Host $http_host;" in files
    assert "limit_except GET HEAD" in files


def _variables_read_by_settings():
    names = set()
    for path in (ROOT / "config" / "settings").glob("*.py"):
        if path.name == "test.py":
            continue
        text = path.read_text()
        names |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', text))
        names |= set(re.findall(r'^\s+"([A-Z][A-Z0-9_]+)",$', text, re.M)) & {"SECRET_KEY"}
    return names


def test_env_example_and_readme_list_every_variable():
    names = _variables_read_by_settings()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"} <= names
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    for name in names:
        assert re.search(rf"^#? ?{name}=", example, re.M), f"{name} missing from .env.example"
        assert f"`{name}`" in readme, f"{name} missing from README.md"
