"""Whether points expire is a setting read from the environment (VOLUNTEERS_POINTS_EXPIRE_AFTER_DAYS)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(repr(settings.VOLUNTEERS_POINTS_EXPIRE_AFTER_DAYS))"
)


def _settings_with(value):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    env["VOLUNTEERS_POINTS_EXPIRE_AFTER_DAYS"] = value
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.sqlite
@pytest.mark.parametrize(("value", "expected"), [("", "None"), ("365", "365")])
def test_points_expiry_comes_from_the_environment(value, expected):
    result = _settings_with(value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.sqlite
def test_a_zero_or_negative_expiry_refuses_to_start():
    result = _settings_with("0")
    assert result.returncode != 0
    assert "VOLUNTEERS_POINTS_EXPIRE_AFTER_DAYS must be a positive number of days" in result.stderr
