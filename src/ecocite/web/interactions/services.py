"""Comment, support, report and attach: the one place these acts are checked and written.

Every function takes the acting person and the object, asks the rules (so pages, the API and
the consultations app share one behaviour), validates, and writes in one transaction. A refusal
raises ``PermissionDenied``; bad input raises ``ValidationError`` naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ecocite.web.core.permissions import check_permission
from ecocite.web.interactions.models import Attachment, Comment, Report, ReportReason, Support

COMMENT_MAX_CHARS = 5000
REPORT_MAX_CHARS = 2000
ATTACHMENT_SUFFIXES = {
    ".pdf": b"%PDF-",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".csv": None,
    ".txt": None,
    ".xlsx": b"PK\x03\x04",
}


def _target(obj: Any) -> dict[str, Any]:
    if obj is None or getattr(obj, "pk", None) is None:
        raise ValidationError({"target": _("Comments and supports need a saved object.")})
    return {"target_type": ContentType.objects.get_for_model(obj), "target_id": obj.pk}


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write something first.")})
    if len(text) > COMMENT_MAX_CHARS:
        raise ValidationError({"text": _("At most %(n)d characters.") % {"n": COMMENT_MAX_CHARS}})
    return text


def add_comment(user: Any, obj: Any, text: str, *, parent: Comment | None = None) -> Comment:
    """Comment on ``obj`` (or answer ``parent``, a comment on the same object)."""
    check_permission(user, "interactions.add_comment", obj)
    target = _target(obj)
    if parent is not None and (
        parent.target_type_id != target["target_type"].pk or parent.target_id != obj.pk
    ):
        raise ValidationError({"parent": _("An answer stays in its comment's thread.")})
    if parent is not None and (parent.is_deleted or parent.is_hidden):
        raise ValidationError({"parent": _("This comment can no longer be answered.")})
    author = user if user.is_authenticated else None
    return Comment.objects.create(author=author, parent=parent, text=_clean_text(text), **target)


def edit_comment(user: Any, comment: Comment, text: str) -> Comment:
    """Change one's own comment, within the edit window."""
    check_permission(user, "interactions.change_comment", comment)
    comment.text = _clean_text(text)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["text", "edited_at"])
    return comment


def delete_comment(user: Any, comment: Comment) -> Comment:
    """Delete a comment: its text goes, a placeholder keeps the thread's answers in place."""
    check_permission(user, "interactions.delete_comment", comment)
    comment.text = ""
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["text", "deleted_at"])
    return comment


@dataclass(frozen=True)
class ThreadEntry:
    """One comment of a thread, its depth (0 for a top comment) and the text to show.

    A deleted or hidden comment keeps its place (its answers stay under it) and shows a
    placeholder instead of its text: "deleted", or the moderators' public reason.
    """

    comment: Comment
    depth: int
    text: str

    @property
    def placeholder(self) -> bool:
        """Tell whether the entry shows a placeholder instead of the comment's text."""
        return self.comment.is_deleted or self.comment.is_hidden


def public_text(comment: Comment) -> str:
    """Return what the public reads of a comment: its text, or the placeholder."""
    if comment.is_deleted:
        return _("This comment was deleted.")
    if comment.is_hidden:
        return _("Hidden by the moderators: %(reason)s") % {"reason": comment.hidden_reason}
    return comment.text


def thread(obj: Any) -> list[ThreadEntry]:
    """Return the comments on ``obj``, each followed by its answers (depth first, oldest first)."""
    comments = list(comments_on(obj).select_related("author"))
    for comment in comments:  # the rules walk comment → obj: no query per comment
        comment._state.fields_cache["content_object"] = obj
    answers: dict[int | None, list[Comment]] = {}
    for comment in comments:
        answers.setdefault(comment.parent_id, []).append(comment)
    entries: list[ThreadEntry] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for comment in answers.get(parent_id, []):
            entries.append(ThreadEntry(comment, depth, public_text(comment)))
            walk(comment.pk, depth + 1)

    walk(None, 0)
    return entries


def comments_on(obj: Any) -> QuerySet[Comment]:
    """Return the comments on ``obj`` (deleted and hidden ones included: see ``public_text``)."""
    return Comment.objects.filter(**_target(obj))


def support(user: Any, obj: Any) -> Support:
    """Support ``obj``; supporting twice is one support."""
    check_permission(user, "interactions.add_support", obj)
    target = _target(obj)
    try:
        with transaction.atomic():
            return Support.objects.create(user=user, **target)
    except IntegrityError:
        return Support.objects.get(user=user, **target)


def withdraw_support(user: Any, obj: Any) -> bool:
    """Withdraw one's support of ``obj``; ``False`` if there was none."""
    if not user.is_authenticated:
        raise PermissionDenied("interactions.add_support")
    deleted, _rows = Support.objects.filter(user=user, **_target(obj)).delete()
    return deleted > 0


def support_count(obj: Any) -> int:
    """Return the number of supports of ``obj``."""
    return Support.objects.filter(**_target(obj)).count()


def report(user: Any, obj: Any, reason: str, explanation: str = "") -> Report:
    """Flag ``obj`` for the moderators, with one of :class:`ReportReason`."""
    check_permission(user, "interactions.add_report", obj)
    if reason not in ReportReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    explanation = (explanation or "").strip()
    if len(explanation) > REPORT_MAX_CHARS:
        raise ValidationError(
            {"explanation": _("At most %(n)d characters.") % {"n": REPORT_MAX_CHARS}}
        )
    target = _target(obj)
    # One open report per person and object: reporting again updates it.
    with transaction.atomic():
        existing = (
            Report.objects.select_for_update()
            .filter(reporter=user, handled_at__isnull=True, **target)
            .first()
        )
        if existing is not None:
            existing.reason, existing.explanation = reason, explanation
            existing.save(update_fields=["reason", "explanation"])
            return existing
        return Report.objects.create(
            reporter=user, reason=reason, explanation=explanation, **target
        )


def attach(user: Any, obj: Any, name: str, content: bytes) -> Attachment:
    """Attach a file to ``obj``: PDF, image, CSV, text or XLSX, within the upload size limit."""
    check_permission(user, "interactions.add_attachment", obj)
    suffix = Path(name).suffix.lower()
    if suffix not in ATTACHMENT_SUFFIXES:
        raise ValidationError({"file": _("Attach a PDF, PNG, JPEG, CSV, text or XLSX file.")})
    if not content or len(content) > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is empty or larger than %(n)d bytes.")
                % {"n": settings.UPLOAD_MAX_BYTES}
            }
        )
    magic = ATTACHMENT_SUFFIXES[suffix]
    if magic is not None and not content.startswith(magic):
        raise ValidationError({"file": _("The content does not match the file type.")})
    safe_name = Path(name).name[:200]
    with transaction.atomic():
        attachment = Attachment(
            uploaded_by=user, original_name=safe_name, size=len(content), **_target(obj)
        )
        attachment.file.save(safe_name, ContentFile(content), save=False)
        attachment.save()
    return attachment
