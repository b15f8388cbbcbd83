"""`make lint`: pip-audit checks the locked dependencies against the vulnerability database.

Where the database cannot be reached (no network, or an index mirror that answers 404 for every
package's JSON) pip-audit would either fail on the connection or report every package as "not found"
and "no known vulnerabilities", which checks nothing. Both cases print SKIP and exit 0; known
vulnerabilities exit 1; anything else pip-audit reports passes through."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "dev.lock"
NETWORK_ERRORS = (
    "ConnectionError",
    "Max retries exceeded",
    "Name or service not known",
    "NameResolutionError",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "timed out",
)


def verdict(returncode: int, stdout: str, stderr: str) -> tuple[int, str]:
    """(exit code, message) for one pip-audit run with `-f json`."""
    try:
        report = json.loads(stdout)
    except ValueError:
        report = None
    if report is None:
        if any(marker in stderr for marker in NETWORK_ERRORS):
            return 0, "pip-audit: SKIP, the vulnerability database is not reachable from here."
        return returncode or 1, f"pip-audit failed:\n{stderr.strip()}"
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    if not audited:
        return 0, (
            f"pip-audit: SKIP, none of the {len(deps)} locked packages could be looked up in the "
            "vulnerability database (no network or no PyPI JSON API here)."
        )
    vulnerable = [d for d in audited if d.get("vulns")]
    if vulnerable:
        lines = [
            f"  {d['name']} {d['version']}: "
            + ", ".join(
                f"{v['id']} (fixed in {', '.join(v.get('fix_versions') or ['?'])})" for v in d["vulns"]
            )
            for d in vulnerable
        ]
        return 1, "pip-audit: known vulnerabilities in the lock:\n" + "\n".join(lines)
    return 0, f"pip-audit: {len(audited)} packages checked, no known vulnerabilities."


def main() -> int:
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(LOCK),
        # The lock pins every package already; --no-deps skips resolving it again (and the network).
        "--no-deps",
        "--disable-pip",
        "--progress-spinner",
        "off",
        "--format",
        "json",
        "--timeout",
        "10",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        print("pip-audit: SKIP, the vulnerability database did not answer within 5 minutes.")
        return 0
    code, message = verdict(result.returncode, result.stdout, result.stderr)
    print(message, file=sys.stderr if code else sys.stdout)
    return code


if __name__ == "__main__":
    sys.exit(main())
