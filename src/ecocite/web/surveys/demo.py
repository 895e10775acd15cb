"""Demo survey: one question of every type on the old-town pilot block, with made-up answers.

Everything here is illustrative (the survey, its answers and the pages say so). The answers are
drawn from a seeded generator so the demo is the same every time; respondents are anonymous
sessions named ``demo-<n>``. The running phase of the pilot block is opened to answering.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from django.db import transaction

from ecocite.web.consultations.models import College, Process
from ecocite.web.core.models import Action
from ecocite.web.core.phases import active_phase
from ecocite.web.surveys.models import Answer, Kind, Question, Response, Survey
from ecocite.web.surveys.services import answers_changed, clean_answers, ordered_questions

PROCESS_SLUG = "jingzhou-old-town"
RESPONDENTS = 36


def _questions(survey: Survey) -> list[Question]:
    specs: list[dict[str, Any]] = [
        {"kind": Kind.SINGLE, "required": True,
         "text_fr": "Comment venez-vous le plus souvent dans l'îlot ?",
         "text_zh": "您最常用什么方式来到街区？", "text_en": "How do you most often come to the block?",
         "options": ["à pied", "à vélo", "en bus", "en voiture"]},
        {"kind": Kind.MULTIPLE, "max_choices": 2,
         "text_fr": "Que manque-t-il le plus ? (deux au plus)", "text_zh": "最缺少什么？（最多两项）",
         "text_en": "What is most missing? (two at most)",
         "options": ["ombre", "bancs", "toilettes publiques", "jeux d'enfants", "fontaines"]},
        {"kind": Kind.TEXT, "condition": (0, "à vélo"),
         "text_fr": "Qu'est-ce qui rendrait le vélo plus sûr ici ?",
         "text_zh": "怎样让这里骑车更安全？", "text_en": "What would make cycling safer here?"},
        {"kind": Kind.SCALE, "scale_max": 5, "required": True,
         "text_fr": "Êtes-vous satisfait des espaces publics de l'îlot ?",
         "text_zh": "您对街区公共空间满意吗？", "text_en": "How satisfied are you with the block's public spaces?"},
        {"kind": Kind.SCALE, "scale_max": 10,
         "text_fr": "Recommanderiez-vous de vivre dans l'îlot ?",
         "text_zh": "您会推荐住在这个街区吗？", "text_en": "Would you recommend living in the block?"},
        {"kind": Kind.RANKING,
         "text_fr": "Classez ces priorités", "text_zh": "请为这些优先事项排序",
         "text_en": "Rank these priorities",
         "options": ["patrimoine", "nature", "commerces", "logement"]},
        {"kind": Kind.NUMBER, "unit": "min", "min_value": 0, "max_value": 180,
         "text_fr": "Combien de minutes marchez-vous par jour ?", "text_zh": "您每天步行多少分钟？",
         "text_en": "How many minutes do you walk a day?"},
        {"kind": Kind.MAP, "map_kind": "point",
         "text_fr": "Où planter un arbre ?", "text_zh": "在哪里种一棵树？", "text_en": "Where should a tree be planted?"},
        {"kind": Kind.MAP, "map_kind": "area",
         "text_fr": "Quelle zone rendre piétonne ?", "text_zh": "哪个区域应改为步行区？",
         "text_en": "Which area should become pedestrian?"},
    ]  # fmt: skip
    made: list[Question] = []
    for position, spec in enumerate(specs, start=1):
        condition = spec.pop("condition", None)
        if condition is not None:
            spec["condition_question"] = made[condition[0]]
            spec["condition_value"] = condition[1]
        if spec["kind"] == Kind.SCALE:
            spec["scale_min"] = 1 if spec["scale_max"] == 5 else 0
        made.append(Question.objects.create(survey=survey, position=position, **spec))
    return made


def _raw(rng: random.Random, questions: list[Question], site: Any) -> dict[str, Any]:
    (x0, y0), (x1, y1) = site["coordinates"][0][0], site["coordinates"][0][2]
    mode, missing, why, satisfied, recommend, ranking, minutes, tree, area = questions
    lon, lat = rng.uniform(x0 + 0.002, x1 - 0.004), rng.uniform(y0 + 0.002, y1 - 0.004)
    d = 0.002
    order = rng.sample(range(1, 5), 4)
    return {
        mode.field: str(rng.choices(range(4), weights=(5, 3, 3, 2))[0]),
        missing.field: [str(i) for i in rng.sample(range(5), rng.randint(1, 2))],
        why.field: rng.choice(
            ["Une piste séparée rue du Rempart", "更多自行车停车位", "Slower cars near the school"]
        ),
        satisfied.field: str(rng.randint(1, 5)),
        recommend.field: str(rng.randint(3, 10)),
        ranking.field: [str(r) for r in order],
        minutes.field: str(rng.randint(5, 90)),
        tree.field: f"{rng.uniform(x0, x1):.5f}, {rng.uniform(y0, y1):.5f}",
        area.field: {
            "type": "Polygon",
            "coordinates": [
                [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
            ],
        },
    }


def load_surveys_demo(log: Callable[[str], None] = print) -> None:
    """Create the illustrative demo survey and its answers (once)."""
    process = Process.objects.filter(slug=PROCESS_SLUG).first()
    if process is None or Survey.objects.filter(process=process, illustrative=True).exists():
        return
    rng = random.Random(12)
    colleges = list(College.values)
    with transaction.atomic():
        phase = active_phase(process)
        if phase is not None and Action.ANSWER_SURVEY not in phase.actions:
            phase.actions = [*phase.actions, str(Action.ANSWER_SURVEY)]
            phase.anonymous_allowed = True
            phase.save(update_fields=["actions", "anonymous_allowed"])
        survey = Survey.objects.create(
            process=process,
            phase=phase,
            title_fr="Vivre dans l'îlot pilote",
            title_zh="在试点街区生活",
            title_en="Living in the pilot block",
            description_fr="Enquête de démonstration : les réponses sont fictives.",
            description_zh="演示问卷：回答均为虚构。",
            description_en="A demonstration survey: the answers are made up.",
            results_public=True,
            illustrative=True,
        )
        _questions(survey)
        questions = ordered_questions(survey)
        for n in range(1, RESPONDENTS + 1):
            answers = clean_answers(survey, questions, _raw(rng, questions, process.site))
            response = Response.objects.create(
                survey=survey,
                session_key=f"demo-{n}",
                college=rng.choices(colleges, weights=(6, 3, 2, 1, 1))[0],
                illustrative=True,
            )
            Answer.objects.bulk_create(
                Answer(response=response, question_id=pk, college=response.college, **row)
                for pk, parsed in answers.items()
                for row in parsed.rows
            )
        answers_changed(survey)
    log(f"  surveys: 1 survey, {RESPONDENTS} responses (illustrative)")
