import os
from pathlib import Path

import pytest

HERE = Path(__file__).parent


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Playwright's sync API runs an event loop in the test thread, so the ORM needs this flag here, and
    only here. A fixture would be too short-lived: pytest-django's live-server helper sets up the
    database before any conftest fixture and flushes it after they are gone."""
    if HERE not in Path(str(item.path)).parents:
        yield
        return
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Staff browsers here ask for Chinese; the admin answers in the language the browser asks for.
    return {**browser_context_args, "locale": "zh-CN"}
