"""Template tags: the follow button and the header's notifications link with its unread count."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType

from ecocite.web.notifications import services

register = template.Library()


@register.inclusion_tag("notifications/_follow.html", takes_context=True)
def follow_button(context: dict[str, Any], obj: Any) -> dict[str, Any]:
    """Render a follow / unfollow button for ``obj`` (nothing for a visitor without an account)."""
    request = context["request"]
    user = request.user
    kind = ContentType.objects.get_for_model(obj)
    return {
        "show": user.is_authenticated and user.has_perm("notifications.add_follow", obj),
        "following": services.is_following(user, obj),
        "type": kind.model,
        "id": obj.pk,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("notifications/_header.html", takes_context=True)
def notifications_link(context: dict[str, Any]) -> dict[str, Any]:
    """Render the header link to one's notifications, with the unread count."""
    user = context["request"].user
    return {"show": user.is_authenticated, "unread": services.unread_count(user)}
