"""The accounts API: exchange a user name and password for a token."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from ecocite.web.accounts import throttle


class SignInThrottle(AnonRateThrottle):
    """The throttle of the API token endpoint (scope ``sign_in``)."""

    scope = "sign_in"


class TokenView(ObtainAuthToken):
    """Exchange a user name and password for an API token.

    Rate-limited (10 a minute per client address) and under the sign-in throttle every way in
    shares (``accounts/throttle.py``): a locked name or address gets 429, even with the right
    password.
    """

    throttle_classes = [SignInThrottle]

    @extend_schema(request=AuthTokenSerializer, responses={200: AuthTokenSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Give a token for valid credentials unless the sign-in throttle has locked them."""
        data = request.data if hasattr(request.data, "get") else {}
        username = data.get("username")
        if throttle.is_locked(str(username or ""), throttle.client_address(request)):
            raise Throttled(wait=settings.LOGIN_FAILURE_WINDOW_S)
        return super().post(request, *args, **kwargs)
