"""The accounts API: exchange a user name and password for a token."""

from __future__ import annotations

from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import AnonRateThrottle


class SignInThrottle(AnonRateThrottle):
    """The throttle of the API token endpoint (scope ``sign_in``)."""

    scope = "sign_in"


class TokenView(ObtainAuthToken):
    """Exchange a user name and password for an API token (throttled)."""

    throttle_classes = [SignInThrottle]
