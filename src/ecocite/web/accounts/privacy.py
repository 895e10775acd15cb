"""Personal data: download all of it, delete one's account (GDPR articles 15, 17 and 20).

Both walk every relation to the user model that the installed apps declare, so an app added
later is covered without a change here:

- :func:`export_data` writes a ZIP: ``data.json`` (the profile and, per table, every row that
  points at the person) and ``files/…`` (their images and attachments);
- :func:`delete_account` deletes the account. The person chooses whether their contributions
  stay, attributed to the shared "former participant" account (no link to them remains), or
  are deleted (proposals with their images, attachments; comments become the "deleted"
  placeholder so the answers of others keep their thread). What is personal and not a
  contribution — roles, supports, follows, notifications, settings, API token — goes with the
  account.

Anonymous contributions store no IP address: the only place an address is used is the sign-in
and password-reset throttle, in the cache, for its window (``accounts.throttle``).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import models, transaction
from django.utils import timezone

FORMER_USERNAME = "former-participant"
#: Fields never exported: secrets, not data about the person.
SECRET_FIELDS = {"password", "key"}
PROFILE_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "preferred_language",
    "organisation",
    "date_joined",
    "last_login",
)


def _relations(user_model: type[models.Model]) -> Iterator[tuple[type[models.Model], str, Any]]:
    """Every (model, field name, on_delete) whose foreign key points at the user model."""
    # include_hidden: many relations are declared with related_name="+"
    for rel in user_model._meta.get_fields(include_hidden=True):
        if not (rel.is_relation and rel.auto_created and not rel.concrete):
            continue
        field = getattr(rel, "field", None)
        if isinstance(field, models.ForeignKey):
            yield rel.related_model, field.name, rel.on_delete


def _rows(model: type[models.Model], field: str, user: Any) -> models.QuerySet[Any]:
    return model._base_manager.filter(**{field: user}).order_by("pk")


def export_data(user: Any) -> bytes:
    """Return a ZIP of everything stored about ``user``: ``data.json`` and their files."""
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "profile": {f: getattr(user, f) for f in PROFILE_FIELDS},
        "tables": {},
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for model, field, _on_delete in _relations(get_user_model()):
            rows = list(_rows(model, field, user))
            if not rows:
                continue
            label = model._meta.label_lower
            records = serializers.serialize("python", rows)
            for record, row in zip(records, rows, strict=True):
                fields = record["fields"]
                for secret in SECRET_FIELDS & set(fields):
                    fields[secret] = "(not exported: a secret)"
                _attach_files(archive, label, row, fields)
                _attach_children(archive, label, row, fields)
            data["tables"].setdefault(label, []).extend(
                {"id": r["pk"], **r["fields"]} for r in records
            )
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
    return out.getvalue()


def _attach_files(archive: zipfile.ZipFile, label: str, row: Any, fields: dict[str, Any]) -> None:
    """Copy the row's files into the archive; the record names the copy."""
    for field in row._meta.concrete_fields:
        if not isinstance(field, models.FileField):
            continue
        stored = getattr(row, field.name)
        if not stored:
            continue
        name = f"files/{label}/{row.pk}/{PurePosixPath(stored.name).name}"
        try:
            with stored.open("rb") as handle:
                archive.writestr(name, handle.read())
        except OSError:
            fields[field.name] = f"{stored.name} (file missing on the server)"
            continue
        fields[field.name] = name


def _attach_children(
    archive: zipfile.ZipFile, label: str, row: Any, fields: dict[str, Any]
) -> None:
    """Add the rows that belong to one of the person's rows (the images of their proposals)."""
    for rel in row._meta.get_fields(include_hidden=True):
        if not (rel.is_relation and rel.auto_created and not rel.concrete):
            continue
        if not isinstance(getattr(rel, "field", None), models.ForeignKey):
            continue
        if rel.on_delete is not models.CASCADE:
            continue
        model = rel.related_model
        if not any(isinstance(f, models.FileField) for f in model._meta.concrete_fields):
            continue
        children = list(model._base_manager.filter(**{rel.field.name: row}).order_by("pk"))
        listed = []
        for child in children:
            record = serializers.serialize("python", [child])[0]
            _attach_files(archive, model._meta.label_lower, child, record["fields"])
            listed.append({"id": child.pk, **record["fields"]})
        if listed:
            fields[model._meta.label_lower] = listed


def former_participant() -> Any:
    """Return the shared account that keeps the contributions of deleted accounts."""
    user_model = get_user_model()
    found = user_model.objects.filter(former=True).first()
    if found is not None:
        return found
    from django.db import IntegrityError
    from django.utils.crypto import get_random_string

    for name in (FORMER_USERNAME, f"{FORMER_USERNAME}-{get_random_string(6).lower()}"):
        former = user_model(username=name, is_active=False, former=True)
        former.set_unusable_password()
        try:
            with transaction.atomic():
                former.save()
        except IntegrityError:  # created meanwhile, or a person took the name
            found = user_model.objects.filter(former=True).first()
            if found is not None:
                return found
            continue
        return former
    raise RuntimeError("cannot create the former-participant account")


def _delete_contributions(user: Any) -> None:
    """Delete the person's proposals (and image files) and attachments; blank their comments."""
    from ecocite.web.consultations.models import Proposal
    from ecocite.web.interactions.models import Attachment, Comment

    for proposal in Proposal.objects.filter(author=user).prefetch_related("images"):
        for picture in proposal.images.all():
            picture.image.delete(save=False)
        proposal.delete()
    for attachment in Attachment.objects.filter(uploaded_by=user):
        attachment.file.delete(save=False)
        attachment.delete()
    Comment.objects.filter(author=user).update(text="", deleted_at=timezone.now(), author=None)


def delete_account(user: Any, *, keep_contributions: bool) -> None:
    """Delete ``user``'s account; their contributions stay as "former participant" or go."""
    if getattr(user, "former", False):
        raise ValueError("the former-participant account is not a person's account")
    with transaction.atomic():
        if keep_contributions:
            former = former_participant()
            for model, field, on_delete in _relations(get_user_model()):
                if on_delete is models.SET_NULL:
                    _rows(model, field, user).update(**{field: former})
        else:
            _delete_contributions(user)
        user.delete()
