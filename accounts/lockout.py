"""Failed logins, counted three ways (django-axes with this handler, see AXES_* in settings):

- one account from one client: AXES_FAILURE_LIMIT (5) locks that pair for the cool-off;
- one account from any client: LOGIN_FAILURE_LIMIT_PER_ACCOUNT (larger), so guessing from many addresses
  is slowed while a stranger's five wrong passwords do not lock the owner out;
- one client across accounts: LOGIN_FAILURE_LIMIT_PER_CLIENT, so spraying one password over many
  accounts is slowed.

The name typed is resolved to the account first (phone or username), so alternating the two counts
against one account.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

from .backends import find_login_user


def login_username(request, credentials=None) -> str:
    """AXES_USERNAME_CALLABLE: the username of the account typed, or the text itself if none matches."""
    typed = (credentials or {}).get("username") if credentials else request.POST.get("username")
    typed = (typed or "").strip()
    user = find_login_user(typed)
    return user.get_username() if user is not None else typed


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The pair's failures; at least the pair limit once the account or the client is over its own
        wider limit, so axes locks (and says so) through its one threshold."""
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        ip_address = request.axes_ip_address

        def total(**kwargs) -> int:
            return recent.filter(**kwargs).aggregate(n=Sum("failures_since_start"))["n"] or 0

        pair = total(username=username, ip_address=ip_address)
        over_wider_limit = (
            username and total(username=username) >= settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT
        ) or (ip_address and total(ip_address=ip_address) >= settings.LOGIN_FAILURE_LIMIT_PER_CLIENT)
        if over_wider_limit:
            return max(pair, get_failure_limit(request, credentials))
        return pair
