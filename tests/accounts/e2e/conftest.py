import pytest


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Staff browsers here ask for Chinese; the admin answers in the language the browser asks for.
    return {**browser_context_args, "locale": "zh-CN"}
