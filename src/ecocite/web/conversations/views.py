"""Conversation pages: vote on statements one at a time, write, moderate, read the map.

Views bind forms and pick templates; the rules decide, and every write goes through
:mod:`ecocite.web.conversations.services`. The pages are plain forms (no script needed).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecocite.participation.report import scatter_svg_points
from ecocite.web.consultations.models import Process
from ecocite.web.conversations import services
from ecocite.web.conversations.forms import ConversationForm, StatementForm
from ecocite.web.conversations.models import Conversation, Statement, VoteValue
from ecocite.web.core.languages import engine_lang
from ecocite.web.core.permissions import deny, permission_required


def _conversation(pk: int) -> Conversation:
    return get_object_or_404(Conversation.objects.select_related("process__city"), pk=pk)


def _process(request: HttpRequest, slug: str, **_kw: Any) -> Process:
    return get_object_or_404(Process.objects.select_related("city"), slug=slug)


def _token(request: HttpRequest, *, create: bool) -> str | None:
    if request.user.is_authenticated:
        return None
    if create:
        return services.session_token(request.session)
    return request.session.get(services.SESSION_KEY)


def _errors(request: HttpRequest, err: ValidationError) -> None:
    for problems in err.message_dict.values():
        for problem in problems:
            messages.error(request, problem)


def index(request: HttpRequest) -> HttpResponse:
    """List the conversations of every process."""
    rows = Conversation.objects.select_related("process__city").order_by("process__slug", "id")
    return render(request, "conversations/index.html", {"conversations": rows})


@permission_required("conversations.add_conversation", fn=_process)
def conversation_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a conversation in a process."""
    process = _process(request, slug)
    form = ConversationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                conversation = services.create_conversation(
                    request.user, process, **form.cleaned_data
                )
            except ValidationError as err:
                _errors(request, err)
            else:
                return redirect("conversations:detail", pk=conversation.pk)
    return render(
        request, "conversations/new.html", {"process": process, "form": form}, status=status
    )


def conversation_detail(
    request: HttpRequest, pk: int, *, form: StatementForm | None = None, status: int = 200
) -> HttpResponse:
    """Show one statement to vote on (chosen by the routing priority) and the statement form."""
    conversation = _conversation(pk)
    user = request.user
    participant = services.find_participant(user, conversation, _token(request, create=False))
    voted = services.votes_of(participant)
    shown = services.visible_statements(conversation).count()
    can_vote = user.has_perm("conversations.vote_statement", conversation)
    return render(
        request,
        "conversations/detail.html",
        {
            "conversation": conversation,
            "process": conversation.process,
            "statement": services.next_statement(conversation, participant) if can_vote else None,
            "voted": len(voted),
            "shown": shown,
            "can_vote": can_vote,
            "can_write": user.has_perm("conversations.add_statement", conversation),
            "can_moderate": user.has_perm("conversations.moderate_statement", conversation),
            "form": form or StatementForm(),
            "choices": [
                (VoteValue.AGREE, _("Agree")),
                (VoteValue.DISAGREE, _("Disagree")),
                (VoteValue.PASS, _("Pass / unsure")),
            ],
        },
        status=status,
    )


@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a vote on a statement, then show the next one."""
    conversation = _conversation(pk)
    if not request.user.has_perm("conversations.vote_statement", conversation):
        return deny(request)
    try:
        statement = Statement.objects.get(pk=int(request.POST.get("statement", "")))
        value = int(request.POST.get("vote", ""))
    except (ValueError, Statement.DoesNotExist):
        messages.error(request, _("This statement is not open to votes."))
        return redirect("conversations:detail", pk=pk)
    try:
        services.cast_vote(
            request.user, conversation, statement, value, token=_token(request, create=True)
        )
    except PermissionDenied:
        return deny(request)
    except ValidationError as err:
        _errors(request, err)
    else:
        messages.success(request, _("Your vote is recorded."))
    return redirect("conversations:detail", pk=pk)


@require_POST
def statement_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit a statement."""
    conversation = _conversation(pk)
    if not request.user.has_perm("conversations.add_statement", conversation):
        return deny(request)
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            statement = services.add_statement(
                request.user,
                conversation,
                form.cleaned_data["text"],
                token=_token(request, create=True),
            )
        except ValidationError as err:
            for field, problems in err.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            if statement.is_visible():
                messages.success(request, _("Your statement is published."))
            else:
                messages.success(request, _("Your statement will be shown once moderated."))
            return redirect("conversations:detail", pk=pk)
    return conversation_detail(request, pk, form=form, status=422)


@permission_required("conversations.moderate_statement", fn=lambda r, pk: _conversation(pk))
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """List statements by moderation state; accept or reject many in one click."""
    conversation = _conversation(pk)
    if request.method == "POST":
        decision = {"accept": 1, "reject": -1, "reset": 0}.get(request.POST.get("decision", ""))
        ids = request.POST.getlist("statements")
        if request.POST.get("all_pending"):
            ids = [
                str(i)
                for i in conversation.statements.filter(moderated=0).values_list("pk", flat=True)
            ]
        try:
            if decision is None:
                raise ValidationError({"decision": _("Unknown moderation decision.")})
            n = services.moderate(request.user, conversation, services.statement_ids(ids), decision)
        except ValidationError as err:
            _errors(request, err)
        else:
            messages.success(request, _("%(n)d statements moderated.") % {"n": n})
        return redirect("conversations:moderate", pk=pk)
    rows = list(conversation.statements.order_by("moderated", "-id"))
    return render(
        request,
        "conversations/moderate.html",
        {
            "conversation": conversation,
            "pending": [s for s in rows if s.moderated == 0],
            "accepted": [s for s in rows if s.moderated == 1],
            "rejected": [s for s in rows if s.moderated == -1],
        },
    )


def opinion_map(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the stored opinion map: groups, what each stands for, consensus, divisive."""
    conversation = _conversation(pk)
    view = services.map_view(conversation)
    result = view.stored.result if view.stored else {}
    svg = ""
    if result.get("groups"):
        svg = scatter_svg_points(
            result["groups"],
            result["points"],
            result["group_sizes"],
            engine_lang(translation.get_language()),
        )
    services.request_map(conversation.pk)  # queue a due recomputation; never computed here
    return render(
        request,
        "conversations/map.html",
        {
            "conversation": conversation,
            "process": conversation.process,
            "view": view,
            "svg": svg,
            "proposable": services.consensus_ids(conversation)
            if request.user.has_perm("conversations.propose_statement", conversation)
            else set(),
            "exports": services.EXPORT_FILES,
        },
    )


def export_file(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Download one of the three Polis CSV files of the conversation."""
    if name not in services.EXPORT_FILES:
        raise Http404
    conversation = _conversation(pk)
    text = services.export_files(conversation)[name]
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="conversation-{pk}-{name}"'
    return response


@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a consensus statement into a proposal of the process."""
    statement = get_object_or_404(Statement.objects.select_related("conversation__process"), pk=pk)
    if not request.user.has_perm("conversations.propose_statement", statement):
        return deny(request)
    try:
        proposal = services.propose_statement(request.user, statement)
    except ValidationError as err:
        _errors(request, err)
        return redirect("conversations:map", pk=statement.conversation_id)
    messages.success(request, _("The statement is now a proposal of the process."))
    return redirect("consultations:proposal", pk=proposal.pk)
