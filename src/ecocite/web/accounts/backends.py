"""Authentication through the shared throttle (``throttle``), whatever the way in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from ecocite.web.accounts import throttle


class ThrottledModelBackend(ModelBackend):
    """Django's user-name and password check, refused while the throttle is locked.

    Used by the sign-in form, the admin's sign-in and the API token endpoint alike (they all call
    ``django.contrib.auth.authenticate``). A locked attempt is refused without checking the
    password, so guessing on goes unrewarded even with the right one.
    """

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        """Check the credentials unless locked; count a failure, forget it after a success."""
        if username is None:
            username = kwargs.get(self._username_field(), "")
        name = str(username or "")
        address = throttle.client_address(request)
        if throttle.is_locked(name, address):
            raise PermissionDenied("too many failed sign-in attempts")  # stops other backends
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.record_failure(name, address)
        else:
            throttle.clear(name, address)
        return user

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return str(get_user_model().USERNAME_FIELD)
