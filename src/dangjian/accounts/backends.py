"""django-axes in front of the password check."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out account before its password is checked. Sign-ins over the web
    always pass the request; a call without one (Django's test client `login`, a management
    command) comes from code running on the server itself and has no client to lock out,
    so it is left to the password backend instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
