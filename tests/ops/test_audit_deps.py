"""`make lint` runs pip-audit through scripts/audit_deps.py: a machine that cannot reach the vulnerability
database says SKIP and passes; a reachable database with a vulnerable pin fails the lint."""

import importlib.util
import json

from .conftest import ROOT

spec = importlib.util.spec_from_file_location("audit_deps", ROOT / "scripts" / "audit_deps.py")
audit_deps = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_deps)


def report(*deps):
    return json.dumps({"dependencies": list(deps), "fixes": []})


def test_no_network_is_a_skip_not_a_failure():
    stderr = "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='pypi.org'): Max retries exceeded"
    code, message = audit_deps.verdict(1, "", stderr)
    assert code == 0 and "SKIP" in message


def test_every_package_unknown_is_a_skip_not_a_clean_bill():
    # A mirror answering 404 for every package: pip-audit itself says "No known vulnerabilities".
    deps = [{"name": "django", "version": "5.2.19", "skip_reason": "Dependency not found on PyPI"}]
    code, message = audit_deps.verdict(0, report(*deps), "")
    assert code == 0 and "SKIP" in message and "1 locked packages" in message


def test_a_vulnerable_pin_fails_with_its_advisory():
    deps = [
        {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-1", "fix_versions": ["5.2.1"]}]},
        {"name": "celery", "version": "5.7.0", "vulns": []},
    ]
    code, message = audit_deps.verdict(1, report(*deps), "")
    assert code == 1
    assert "django 5.2.0: PYSEC-1 (fixed in 5.2.1)" in message and "celery" not in message


def test_a_checked_clean_lock_passes():
    code, message = audit_deps.verdict(0, report({"name": "celery", "version": "5.7.0", "vulns": []}), "")
    assert code == 0 and "1 packages checked" in message


def test_other_failures_are_not_hidden():
    code, message = audit_deps.verdict(2, "", "usage: pip-audit: error: unrecognized arguments")
    assert code == 2 and "failed" in message
