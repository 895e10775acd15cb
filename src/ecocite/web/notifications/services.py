"""Follow, notify, mail, digest, announce phase openings and unsubscribe.

The consultations services send their signals once a write commits
(:mod:`ecocite.web.consultations.signals`); :mod:`ecocite.web.notifications.receivers` turns them
into calls here. A notification stores facts (titles, status, the page to open); its sentence is
written by :func:`message` in whatever language is active, so the site shows it in the reader's
language and a mail is written under ``translation.override(recipient.preferred_language)``.

E-mails go through Django's mail backend (``ECOCITE_EMAIL_BACKEND``; the console by default).
Every mail carries a signed one-click unsubscribe link (also as ``List-Unsubscribe``), which works
without signing in.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ecocite.web.core.permissions import check_permission
from ecocite.web.notifications.models import Follow, Kind, Mail, Notification, Preferences

log = logging.getLogger(__name__)

#: What may be followed (app label, model name).
FOLLOWABLE = {("consultations", "process"), ("consultations", "proposal")}
#: A phase that opened longer ago than this is not announced any more (the job was down).
PHASE_LOOKBACK = timedelta(days=3)
#: How much of an answer or a comment a notification quotes.
EXCERPT_CHARS = 300
UNSUBSCRIBE_SALT = "ecocite.notifications.unsubscribe"


# --- following ---------------------------------------------------------------------------------


def _target(obj: Any) -> dict[str, Any]:
    kind = ContentType.objects.get_for_model(obj)
    if (kind.app_label, kind.model) not in FOLLOWABLE or obj.pk is None:
        raise ValueError(f"{kind.app_label}.{kind.model} cannot be followed")
    return {"target_type": kind, "target_id": obj.pk}


def follow(user: Any, obj: Any, *, check: bool = True) -> Follow:
    """Follow ``obj`` (a process or a proposal); following twice is one follow.

    ``check=False`` is for the automatic follows (proposing, commenting): the act itself was
    already checked.
    """
    if check:
        check_permission(user, "notifications.add_follow", obj)
    target = _target(obj)
    try:
        with transaction.atomic():
            return Follow.objects.create(user=user, **target)
    except IntegrityError:
        return Follow.objects.get(user=user, **target)


def unfollow(user: Any, obj: Any) -> bool:
    """Stop following ``obj``; ``False`` if one did not follow it."""
    if not user.is_authenticated:
        return False
    deleted, _rows = Follow.objects.filter(user=user, **_target(obj)).delete()
    return deleted > 0


def is_following(user: Any, obj: Any) -> bool:
    """Tell whether ``user`` follows ``obj``."""
    return bool(user.is_authenticated and Follow.objects.filter(user=user, **_target(obj)).exists())


def followers(*objects: Any) -> QuerySet[Any]:
    """Return the active accounts following any of ``objects``."""
    from django.db.models import Q

    where = Q(pk__in=[])
    for obj in objects:
        where |= Q(follows__target_type=ContentType.objects.get_for_model(obj)) & Q(
            follows__target_id=obj.pk
        )
    return get_user_model().objects.filter(where, is_active=True).distinct()


# --- preferences and unsubscribing -------------------------------------------------------------


def preferences(user: Any) -> Preferences:
    """Return the person's settings (defaults, unsaved, when never changed)."""
    found = Preferences.objects.filter(user=user).first()
    return found if found is not None else Preferences(user=user)


def unsubscribe_token(user: Any) -> str:
    """Return a signed token naming ``user``, for the one-click unsubscribe link of every mail."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(user.pk))


def user_from_token(token: str) -> Any | None:
    """Return the account a token names, or ``None`` if the token is forged or the account gone."""
    try:
        pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk).first() if pk.isdigit() else None


def set_mail(user: Any, mode: str) -> Preferences:
    """Set how ``user`` receives e-mails (:class:`Mail`); unsubscribing is ``Mail.NONE``."""
    if mode not in Mail.values:
        raise ValueError(mode)
    prefs, _created = Preferences.objects.get_or_create(user=user)
    prefs.mail = mode
    prefs.save(update_fields=["mail"])
    return prefs


def absolute(path: str) -> str:
    """Return the full address of a path of the site, for mails (``ECOCITE_SITE_URL``)."""
    return settings.SITE_URL.rstrip("/") + path


# --- notifying ---------------------------------------------------------------------------------

WANTS = {
    Kind.ANSWER: "answers",
    Kind.STATUS: "answers",
    Kind.REPLY: "replies",
    Kind.PHASE: "phases",
    Kind.REMINDER: "phases",
}


def notify(
    recipients: Iterable[Any],
    kind: str,
    target: Any,
    data: dict[str, Any],
    key: str,
    *,
    exclude: Any = None,
) -> list[Notification]:
    """Record one notification per recipient (once per ``key``) and mail those who want it now.

    The acting person (``exclude``) is never told of their own act; a recipient who turned this
    kind off is not told at all.
    """
    target_type = ContentType.objects.get_for_model(target)
    people = [
        p
        for p in recipients
        if p.is_active and (exclude is None or p.pk != getattr(exclude, "pk", None))
    ]
    prefs = {p.user_id: p for p in Preferences.objects.filter(user__in=[p.pk for p in people])}
    wanted = {
        person.pk: person
        for person in people
        if getattr(prefs.get(person.pk) or Preferences(user=person), WANTS[Kind(kind)])
    }
    key = key[:200]
    # Told already (a repeated announcement): left out before writing, and the unique key
    # (recipient, key) keeps a concurrent run from writing the same row twice.
    told = set(
        Notification.objects.filter(key=key, recipient__in=list(wanted)).values_list(
            "recipient_id", flat=True
        )
    )
    fresh = [pk for pk in wanted if pk not in told]
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk,
                kind=kind,
                target_type=target_type,
                target_id=target.pk,
                data=data,
                key=key,
            )
            for pk in fresh
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    created = list(
        Notification.objects.filter(key=key, recipient__in=fresh, mailed_at__isnull=True)
    )
    for note in created:
        note.recipient = wanted[note.recipient_id]
    immediate = [
        n
        for n in created
        if (prefs.get(n.recipient_id) or Preferences()).mail == Mail.IMMEDIATE and n.recipient.email
    ]
    if immediate:
        send_immediately(immediate)
    return created


def message(note: Notification) -> str:
    """Write the notification's sentence, in the active language."""
    from ecocite.web.consultations.models import Status

    data = note.data
    status = str(Status(data["status"]).label) if data.get("status") in Status.values else ""
    if note.kind == Kind.ANSWER:
        return _("Official answer to “%(proposal)s”: %(status)s.") % {
            "proposal": data.get("title", ""),
            "status": status,
        }
    if note.kind == Kind.STATUS:
        return _("“%(proposal)s” is now: %(status)s.") % {
            "proposal": data.get("title", ""),
            "status": status,
        }
    if note.kind == Kind.REPLY:
        return _("%(who)s replied to your comment on “%(proposal)s”.") % {
            "who": data.get("who") or _("An anonymous participant"),
            "proposal": data.get("title", ""),
        }
    from ecocite.web.core.languages import engine_lang

    if note.kind == Kind.REMINDER:
        titles = data.get("workshop", {})
        title = titles.get(engine_lang()) or titles.get("fr") or next(iter(titles.values()), "")
        return _("Reminder: the workshop “%(workshop)s” starts on %(when)s (%(zone)s).") % {
            "workshop": title,
            "when": data.get("local_start", ""),
            "zone": data.get("time_zone", ""),
        }
    titles = data.get("process", {})
    lang = engine_lang()
    title = titles.get(lang) or titles.get("fr") or next(iter(titles.values()), "")
    return _("The phase “%(phase)s” of “%(process)s” is open.") % {
        "phase": data.get("phase", ""),
        "process": title,
    }


def _language(person: Any) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    wanted = getattr(person, "preferred_language", "") or settings.LANGUAGE_CODE
    return wanted if wanted in codes else settings.LANGUAGE_CODE


def _mail(person: Any, template: str, subject: str, context: dict[str, Any]) -> Any:
    """Build one mail to ``person`` (in the active language) with its unsubscribe link."""
    unsubscribe = absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(person)]))
    body = render_to_string(
        template,
        {
            **context,
            "person": person,
            "site_title": settings.SITE_TITLE,
            "unsubscribe": unsubscribe,
            "settings_url": absolute(reverse("notifications:settings")),
        },
    )
    mail = EmailMultiAlternatives(
        subject=f"[{settings.SITE_TITLE}] {subject}"[:250],
        body=body,
        to=[person.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": translation.get_language(),
        },
    )
    return mail


def send_immediately(notes: list[Notification]) -> int:
    """Mail each notification on its own, in its recipient's language; how many went."""
    sent = 0
    connection = get_connection()
    for note in notes:
        person = note.recipient
        with translation.override(_language(person)):
            text = message(note)
            mail = _mail(
                person,
                "notifications/mail/notification.txt",
                text,
                {"text": text, "note": note, "link": absolute(note.data.get("path", "/"))},
            )
        mail.connection = connection
        try:
            mail.send()
        except Exception:  # a mail server down must not break the act
            log.exception("notification %s: mail to %s failed", note.pk, person.pk)
            continue
        Notification.objects.filter(pk=note.pk).update(mailed_at=timezone.now())
        sent += 1
    return sent


def send_digests(now: datetime | None = None) -> int:
    """Send each daily-digest reader one mail with what is new since their last; how many went.

    Idempotent: a notification is mailed once (``mailed_at``); run twice, the second run finds
    nothing new and sends nothing.
    """
    moment = now or timezone.now()
    sent = 0
    connection = get_connection()
    readers = Preferences.objects.filter(mail=Mail.DAILY).select_related("user")
    for prefs in readers:
        person = prefs.user
        if not person.is_active or not person.email:
            continue
        notes = list(
            Notification.objects.filter(
                recipient=person, mailed_at__isnull=True, created_at__lte=moment
            ).order_by("created_at", "id")
        )
        if not notes:
            continue
        with translation.override(_language(person)):
            items = [(message(n), absolute(n.data.get("path", "/"))) for n in notes]
            subject = _("Your daily digest: %(n)d notifications") % {"n": len(notes)}
            mail = _mail(
                person, "notifications/mail/digest.txt", subject, {"items": items, "day": moment}
            )
        mail.connection = connection
        try:
            mail.send()
        except Exception:  # one failing address must not stop the others
            log.exception("digest to %s failed", person.pk)
            continue
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(mailed_at=moment)
        prefs.last_digest_at = moment
        prefs.save(update_fields=["last_digest_at"])
        sent += 1
    return sent


def announce_phases(now: datetime | None = None) -> int:
    """Tell the followers of each process that its running phase opened; how many were told.

    Idempotent: the key names the process, the phase's position and start, so running the job
    again (or every few minutes) tells nobody twice. Phases that opened more than
    :data:`PHASE_LOOKBACK` ago are left alone.
    """
    from ecocite.web.consultations.models import Process
    from ecocite.web.core.models import Phase

    moment = now or timezone.now()
    kind = ContentType.objects.get_for_model(Process)
    running = Phase.objects.filter(
        process_type=kind,
        starts_at__lte=moment,
        ends_at__gt=moment,
        starts_at__gte=moment - PHASE_LOOKBACK,
    )
    processes = Process.objects.in_bulk([p.process_id for p in running])
    told = 0
    for phase in running:
        process = processes.get(phase.process_id)
        if process is None:
            continue
        data = {
            "phase": phase.name,
            "process": {
                "fr": process.title_fr,
                "zh": process.title_zh,
                "en": process.title_en,
            },
            "path": reverse("consultations:process", args=[process.slug]),
        }
        key = f"phase:{process.pk}:{phase.position}:{phase.starts_at.isoformat()}"
        told += len(notify(followers(process), str(Kind.PHASE), process, data, key))
    return told


# --- reading -----------------------------------------------------------------------------------


def unread_count(user: Any) -> int:
    """Count the notifications ``user`` has not read."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user: Any, pk: int | None = None) -> int:
    """Mark one of one's notifications (or all, ``pk=None``) as read; how many changed."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        rows = rows.filter(pk=pk)
    return rows.update(read_at=timezone.now())
