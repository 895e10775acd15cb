"""Rules of the label app: who runs a programme, applies, reviews, votes and decides.

Which stage may follow which is the engine's table; these rules only say who may ask. The
secretariat holds a role scoped to the programme (``accounts.Role``); assessors, jury members
and the chair are the programme's members (:class:`~ecocite.web.label.models.Member`).
"""

from __future__ import annotations

from typing import Any

import rules

from ecocite.web.accounts.predicates import is_administrator, is_city_official, is_secretariat


def _programme(obj: Any) -> Any:
    from ecocite.web.label.models import Programme

    for _ in range(4):
        if obj is None or isinstance(obj, Programme):
            return obj
        obj = getattr(obj, "scope_parent", None)
    return None


def _application(obj: Any) -> Any:
    from ecocite.web.label.models import Application

    for _ in range(3):
        if obj is None or isinstance(obj, Application):
            return obj
        obj = getattr(obj, "scope_parent", None)
    return None


def _signed_in(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _member(kinds: tuple[str, ...]) -> Any:
    def check(user: Any, obj: Any) -> bool:
        from ecocite.web.label.models import Member

        programme = _programme(obj)
        if not _signed_in(user) or programme is None:
            return False
        return Member.objects.filter(programme=programme, user_id=user.pk, kind__in=kinds).exists()

    return rules.predicate(check, name=f"label_member:{'|'.join(kinds)}")


is_juror = _member(("juror", "chair"))
is_chair = _member(("chair",))


@rules.predicate
def is_reviewer(user: Any, obj: Any) -> bool:
    """Tell whether the person is an assigned assessor of the application (or wrote the review)."""
    from ecocite.web.label.models import Review

    if not _signed_in(user):
        return False
    if isinstance(obj, Review):
        return bool(obj.assessor_id == user.pk)
    application = _application(obj)
    return application is not None and application.reviews.filter(assessor_id=user.pk).exists()


@rules.predicate
def is_application_assessor(user: Any, obj: Any) -> bool:
    """Tell whether the person is one of the application's assessors (either side)."""
    application = _application(obj)
    if not _signed_in(user) or application is None:
        return False
    return bool(application.reviews.filter(assessor_id=user.pk).exists())


@rules.predicate
def review_readable(user: Any, review: Any) -> bool:
    """Tell whether both sides have submitted (only then may others read a review)."""
    from ecocite.web.label.services import both_reviews_in

    return review is not None and both_reviews_in(review.application)


@rules.predicate
def is_not_reviewer(user: Any, obj: Any) -> bool:
    """Tell whether the person reviewed nothing of the application (reviewers cannot vote)."""
    application = _application(obj)
    if not _signed_in(user) or application is None:
        return False
    return not application.reviews.filter(assessor_id=user.pk).exists()


is_steward = is_administrator | is_secretariat

RULES = {
    "label.add_programme": is_administrator,
    # asked about the programme
    "label.change_programme": is_steward,
    "label.view_dashboard": is_steward,
    # asked about the city that applies
    "label.add_application": is_administrator | is_city_official,
    # asked about the application
    "label.view_application": is_steward | is_city_official | is_reviewer | is_juror,
    "label.change_application": is_steward | is_city_official,
    "label.move_application": is_steward,
    "label.assign_assessor": is_steward,
    "label.vote_application": is_juror & is_not_reviewer,
    "label.decide_application": is_chair & is_not_reviewer,
    # asked about the review
    "label.submit_review": is_reviewer,
    "label.view_review": is_steward
    | is_reviewer
    | ((is_application_assessor | is_juror | is_city_official) & review_readable),
}
