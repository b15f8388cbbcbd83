from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from grids import pii


def find_login_user(identifier):
    """The account a login name means: a mobile phone number first, then a username (many users here only
    know their phone). The backend and the lockout count (accounts.lockout) both ask this."""
    if not identifier:
        return None
    User = get_user_model()
    by_phone = User.objects.filter(phone_index=pii.phone_index(identifier)).first()
    return by_phone or User.objects.filter(username=identifier).first()


class UsernameOrPhoneBackend(ModelBackend):
    """Log in with the username or the mobile phone number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_login_user(username)
        if user is None:
            get_user_model()().set_password(password)  # same work as a real check, against timing attacks
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
