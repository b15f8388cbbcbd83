import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

from .permissions import session_times_out

# The clock is kept to the minute: writing the session on every request would cost each page of a grid
# leader a database write for a timeout measured in half hours.
STAMP_EVERY_SECONDS = 60


def stamp_login(sender, request, user, **kwargs):
    """The idle clock starts at login (connected to user_logged_in in AccountsConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        request.session["last_seen"] = int(time.time())


class IdleSessionTimeoutMiddleware:
    """Sessions that open personal data (accounts.permissions.session_times_out) end after
    STAFF_SESSION_IDLE_SECONDS without a request; every request counts as activity and starts the clock
    again (to the minute). Whoever is logged out this way is told why on the next page (the login page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and session_times_out(user):
            now = int(time.time())
            last = request.session.get("last_seen")
            if last and now - last > settings.STAFF_SESSION_IDLE_SECONDS:
                logout(request)
                messages.warning(
                    request,
                    _(
                        "You were logged out after a long time without activity, to protect residents' "
                        "information. Please log in again."
                    ),
                )
            elif not last or now - last >= STAMP_EVERY_SECONDS:
                request.session["last_seen"] = now
        return self.get_response(request)
