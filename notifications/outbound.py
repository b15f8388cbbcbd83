"""The one HTTP call the channels make to a provider (SMS, WeChat): JSON back, and every failure of the
network or the provider's server turned into a retryable `ChannelError`, so the outbox tries again."""

import json
import urllib.error
import urllib.parse
import urllib.request


class ChannelError(Exception):
    """A message that could not be sent. `permanent` errors (a wrong number, a template the provider
    rejected, bad credentials) are recorded and not retried; the others are retried by the outbox."""

    def __init__(self, message, *, code="", permanent=False):
        super().__init__(f"{code}: {message}" if code else message)
        self.code = code
        self.permanent = permanent


def call(request: urllib.request.Request, *, timeout: float) -> dict:
    # The providers' endpoints come from settings; refuse any scheme but http(s) (file:, ftp: ...).
    if urllib.parse.urlsplit(request.full_url).scheme not in ("https", "http"):
        raise ChannelError(f"not an http(s) endpoint: {request.full_url}", permanent=True)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310 # scheme checked above
            body = response.read()
    except urllib.error.HTTPError as error:
        body = error.read()
        if error.code >= 500 or error.code == 429:
            raise ChannelError(f"HTTP {error.code}", code=str(error.code)) from error
        # A 4xx still carries the provider's JSON error (its code decides retry or give up).
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise ChannelError(str(error), code="network") from error
    try:
        return json.loads(body or b"{}")
    except ValueError as error:
        raise ChannelError("The provider answered without JSON.", code="bad_response") from error
