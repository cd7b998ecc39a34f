"""Sign-in with username, e-mail or phone number."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from amn.accounts.models import User
from amn.accounts.phones import phone_normalise


class EmailOrPhoneBackend(ModelBackend):
    """Authenticate `username` as a username, an e-mail (case-insensitive) or a phone.

    Returns the User or None; runs the password hasher on misses too, so response time
    does not reveal whether an account exists.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        lookup = Q(username=username) | Q(email__iexact=username)
        phone = phone_normalise(username)
        if phone:
            lookup |= Q(phone=phone)
        user = User.objects.filter(lookup).order_by("pk").first()
        if user is None:
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
