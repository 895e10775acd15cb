"""Demo conversation: the old-town pilot block asks residents about its streets (illustrative).

Statements, participants and votes are invented for the demonstration and marked illustrative
(the pages say so). The running phase of the process also opens statement voting; sixty
browser-session participants vote in two camps with a shared consensus, the map is computed
once, and the consensus statement "more shade" became a proposal linked to a plan action, so
the accountability page shows the share of participants whose group agrees.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from ecocite.web.consultations.models import PlanAction, Process, Proposal, Status
from ecocite.web.conversations.models import (
    Conversation,
    Moderation,
    Participant,
    Statement,
    StatementProposal,
    Vote,
    VoteEvent,
)
from ecocite.web.conversations.services import compute_map
from ecocite.web.core.phases import active_phase

PROCESS_SLUG = "jingzhou-old-town"

# (text, camp A's usual vote, camp B's usual vote); 0 = mixed
STATEMENTS = (
    ("Il faut plus d'ombre dans les rues de l'îlot (arbres, auvents).", 1, 1),
    ("Les voitures doivent pouvoir traverser la vieille ville.", -1, 1),
    ("古城的街道应该全天步行化。", 1, -1),
    ("Parking near the old gate matters more than new squares.", -1, 1),
    ("Les commerces de rue doivent rester ouverts le soir.", 1, 1),
    ("老房子应优先修缮，而不是拆除重建。", 1, 0),
    ("A night market would bring too much noise.", -1, 1),
    ("Des bancs et des fontaines à boire à chaque carrefour.", 1, 1),
)


def load_conversations_demo(log: Callable[[str], None] = print) -> None:
    """Create the demo conversation once (skipped if there, or if its process is missing)."""
    process = Process.objects.filter(slug=PROCESS_SLUG).first()
    if process is None or Conversation.objects.filter(process=process).exists():
        return
    rng = random.Random(7)
    now = timezone.now()
    with transaction.atomic():
        phase = active_phase(process)
        if phase is not None and not phase.opens("vote_statements"):
            phase.actions = [*phase.actions, "vote_statements"]
            phase.save()
        conversation = Conversation.objects.create(
            process=process,
            topic_fr="Quelles rues pour l'îlot pilote ?",
            topic_zh="试点街区需要怎样的街道？",
            topic_en="Which streets for the pilot block?",
            description_fr="Votez sur chaque affirmation, ou proposez la vôtre.",
            description_zh="对每条观点投票，或提出您自己的观点。",
            description_en="Vote on each statement, or write your own.",
            moderation=Moderation.BEFORE,
            illustrative=True,
        )
        participants = Participant.objects.bulk_create(
            [
                Participant(conversation=conversation, session_token=f"demo-{i:03d}")
                for i in range(60)
            ]
        )
        statements = Statement.objects.bulk_create(
            [
                Statement(
                    conversation=conversation,
                    author=participants[i],
                    text=text,
                    moderated=1,
                    moderated_at=now,
                    illustrative=True,
                )
                for i, (text, _a, _b) in enumerate(STATEMENTS)
            ]
        )
        votes = []
        for i, participant in enumerate(participants):
            camp = 1 if i % 3 == 0 else 2  # two camps of 20 and 40
            for statement, (_text, a, b) in zip(statements, STATEMENTS, strict=True):
                if rng.random() < 0.15:
                    continue  # not everyone votes on everything
                usual = a if camp == 1 else b
                value = usual if usual and rng.random() < 0.85 else rng.choice((-1, 0, 1))
                votes.append(
                    Vote(participant=participant, statement=statement, value=value, voted_at=now)
                )
        Vote.objects.bulk_create(votes)
        VoteEvent.objects.bulk_create(
            VoteEvent(
                conversation=conversation,
                participant=v.participant,
                statement=v.statement,
                value=v.value,
                voted_at=v.voted_at,
            )
            for v in votes
        )
        Conversation.objects.filter(pk=conversation.pk).update(new_votes=len(votes))
        shade = statements[0]
        proposal = Proposal.objects.create(
            process=process,
            title="Plus d'ombre dans les rues de l'îlot",
            body=f"Issue de la conversation « {conversation.topic_fr} » : {shade.text}",
            status=Status.ACCEPTED,
            answer="Acceptée : plantations prévues dans le plan d'îlot.",
            answered_at=now,
            illustrative=True,
            plan_action=PlanAction.objects.create(
                city=process.city,
                code="VV-2",
                title_fr="Planter et ombrer les rues de l'îlot pilote",
                title_zh="在试点街区街道植树遮阴",
                title_en="Plant and shade the pilot block's streets",
                progress=10,
                illustrative=True,
            ),
        )
        StatementProposal.objects.create(statement=shade, proposal=proposal)
    compute_map(conversation.pk)
    log(
        f"  conversations: 1 conversation, {len(statements)} statements, {len(votes)} votes (illustrative)"
    )
