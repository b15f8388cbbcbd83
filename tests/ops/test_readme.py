"""The README's demo logins follow seed_demo's DEMO_USERS."""

from grids.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERS

from .conftest import ROOT


def test_readme_lists_every_demo_login_and_the_password():
    readme = (ROOT / "README.md").read_text()
    logins = readme[readme.index("## Demo logins") : readme.index("## Configuration")]
    assert f"**`{DEMO_PASSWORD}`**" in logins
    for username, *_ in DEMO_USERS:
        assert f"| `{username}` |" in logins, username
    assert logins.count("| `") == len(DEMO_USERS)
