"""A version token per process, to cache its proposal list and map data until something changes.

A large process (20,000 proposals, hundreds of thousands of supports and comments) cannot
recount every proposal's supports and comments on each visit. Its rendered proposal table and
map data are cached per server process under the process's *version*, a random token kept in
the shared cache (``default``: one file read) and replaced, once the transaction commits, by
every write that changes what the list or the map shows: a proposal, its image, status change,
answer or plan action, a support, a comment or its stance, the process itself. A new support
therefore shows at once (no stale count), on every worker.

Model signals carry the writes (``post_save`` / ``post_delete``, which ``QuerySet.delete()``
sends too). A write through ``QuerySet.update()`` or ``bulk_create`` sends none: call
:func:`touch` after it. Cached bodies also expire after :data:`TIMEOUT` seconds, a bound on
what such a forgotten write could leave stale.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

TIMEOUT = 300


def _key(process_id: int) -> str:
    return f"consultations:process-version:{process_id}"


def version(process_id: int) -> str:
    """Return the process's current version token (made on first use)."""
    token = cache.get(_key(process_id))
    if token is None:
        cache.add(_key(process_id), uuid.uuid4().hex, None)
        token = cache.get(_key(process_id)) or "new"
    return str(token)


def touch(*process_ids: int | None) -> None:
    """Give these processes a new version now, and again once the current transaction commits.

    The second one matters: a visitor who read the first token before the commit may have
    cached what the database showed then; the token after the commit makes that entry unused.
    """
    ids = {pk for pk in process_ids if pk is not None}
    if ids:
        _renew(ids)
        transaction.on_commit(lambda: _renew(ids))


def _renew(ids: set[int]) -> None:
    cache.set_many({_key(pk): uuid.uuid4().hex for pk in ids}, None)


def _processes_of_proposals(ids: list[int]) -> list[int]:
    from ecocite.web.consultations.models import Proposal

    return list(Proposal.objects.filter(pk__in=ids).order_by().values_list("process_id", flat=True))


def _on_target(instance: Any) -> None:
    """Touch the process of a support or comment that hangs on a proposal."""
    from ecocite.web.consultations.models import Proposal

    if instance.target_type_id == ContentType.objects.get_for_model(Proposal).pk:
        touch(*_processes_of_proposals([instance.target_id]))


def _changed(sender: Any, instance: Any, **_kwargs: Any) -> None:
    from ecocite.web.consultations import models as m

    if sender is m.Process:
        touch(instance.pk)
    elif sender is m.Proposal:
        touch(instance.process_id)
    elif sender in (m.ProposalImage, m.StatusChange):
        touch(*_processes_of_proposals([instance.proposal_id]))
    elif sender is m.PlanAction:
        linked = m.Proposal.objects.filter(plan_action=instance).values_list(
            "process_id", flat=True
        )
        touch(*set(linked))
    elif sender is m.CommentStance:
        from ecocite.web.interactions.models import Comment

        comment = Comment.objects.filter(pk=instance.comment_id).first()
        if comment is not None:
            _on_target(comment)
    elif hasattr(instance, "target_type_id"):
        _on_target(instance)
    elif sender._meta.label == "core.Phase":
        if instance.process_type_id == ContentType.objects.get_for_model(m.Process).pk:
            touch(instance.process_id)
    else:  # a workshop, survey, conversation or scenario site shown on the process page
        touch(getattr(instance, "process_id", None))


#: other apps' models listed on a process page (app label, model): a change renews the page
SHOWN_ON_PROCESS = (
    ("core", "Phase"), ("workshops", "Workshop"), ("surveys", "Survey"),
    ("conversations", "Conversation"), ("sliders", "SliderSite"),
)  # fmt: skip


def connect() -> None:
    """Connect the receivers (called once from the app's ``ready()``)."""
    from ecocite.web.consultations import models as m
    from ecocite.web.interactions.models import Comment, Support

    for model in (
        m.Process, m.Proposal, m.ProposalImage, m.StatusChange, m.PlanAction, m.CommentStance,
        Support, Comment,
    ):  # fmt: skip
        uid = f"consultations-freshness-{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")
    from django.apps import apps

    for label, name in SHOWN_ON_PROCESS:
        if not apps.is_installed(f"ecocite.web.{label}"):
            continue
        model = apps.get_model(label, name)
        uid = f"consultations-freshness-{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")
