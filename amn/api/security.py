"""API authentication: the staff member's session (API tokens come with the security work)."""

from ninja.security import SessionAuth


class StaffSessionAuth(SessionAuth):
    """Session authentication that admits staff roles only; returns the User as request.auth."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and getattr(user, "is_staff_member", False):
            return user
        return None


staff_auth = StaffSessionAuth()
