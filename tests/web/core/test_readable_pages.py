"""What a newcomer reads: years as years, names instead of keys, units as people write them,
shares as percentages, each language in its own words, and the site's own error pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views import defaults

from ecocite.web.accounts.models import RoleKind
from ecocite.web.assessments.execution import execute
from ecocite.web.assessments.models import AssessmentRun
from ecocite.web.datasets.services import import_upload
from ecocite.web.frameworks.registry import framework_by_key

LANGS = ("fr", "zh-hans", "en")
# A year grouped like a quantity ("2,024", "2 024"), not part of a longer grouped number.
GROUPED_YEAR = re.compile(
    r"(?<![\d,.\u00a0\u202f])2[,.\u00a0\u202f]0\d\d(?!\d)(?![,\u00a0\u202f]\d{3})"
)


def _in(client: Any, lang: str, url: str) -> str:
    client.post(reverse("core:language"), {"language": lang, "next": "/"})
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _text(html: str) -> str:
    """The page as read: no tags, no attribute values (tooltips may hold expert ids)."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S))


@pytest.fixture
def finished_run(city: Any, good_csv: bytes, framework_key: str) -> AssessmentRun:
    import_upload("jingzhou.csv", good_csv, city=city, framework_key=framework_key, user=None)
    run = AssessmentRun.objects.create(
        city=city, framework_key=framework_key, stage="planning_design", year=2020
    )
    execute(run.pk)
    run.refresh_from_db()
    assert run.status == "finished"
    return run


def test_assessment_page_reads_as_people_write(
    client: Any, finished_run: AssessmentRun, framework_key: str
) -> None:
    framework = framework_by_key(framework_key)
    url = reverse("assessments:detail", args=[finished_run.pk])
    for lang, key in (("fr", "fr"), ("zh-hans", "zh"), ("en", "en")):
        html = _in(client, lang, url)
        text = _text(html)
        assert "2020" in text and not GROUPED_YEAR.search(text), lang
        assert "**" not in text and "dimensionless" not in text, lang
        assert "m²" in text, lang
        assert framework_key not in text, lang
        assert f"{framework.name(key)} {framework.version}" in text, lang
        assert "requested by —" not in text and "—," not in text, lang
        # completeness and share verified are percentages, not "1.00" / "0.00"
        cards = re.findall(r'<div class="big">([^<]*)</div>', html)
        assert any(c.endswith("%") for c in cards), (lang, cards)
        assert not any(re.fullmatch(r"[01][.,]\d\d", c) for c in cards), (lang, cards)
        assert "p.m.." not in text and "a.m.." not in text
    fr = _text(_in(client, "fr", url))
    assert re.search(r"\b(moyenne|élevée|faible)\b", fr)
    assert not re.search(r"<td>(medium|high|low)</td>", _in(client, "fr", url))


def test_dataset_page_names_indicators_and_keeps_ids_for_experts(
    client: Any, city: Any, good_csv: bytes, framework_key: str
) -> None:
    dataset = import_upload("v.csv", good_csv, city=city, framework_key=framework_key, user=None)
    framework = framework_by_key(framework_key)
    indicator = next(ind for _, ind in framework.indicators() if ind.id == "co2_per_capita")
    html = _in(client, "fr", reverse("datasets:detail", args=[dataset.pk]))
    text = _text(html)
    assert indicator.name("fr") in text
    assert f'title="{indicator.id}"' in html  # the id stays in a tooltip
    assert indicator.id not in text
    assert framework_key not in text and "**" not in text
    assert not GROUPED_YEAR.search(text)


def test_city_page_names_the_country_and_the_framework(
    client: Any, finished_run: AssessmentRun, city: Any
) -> None:
    for lang, country in (("fr", "Chine"), ("zh-hans", "中国"), ("en", "China")):
        text = _text(_in(client, lang, reverse("cities:detail", args=[city.slug])))
        assert country in text, lang
        assert not re.search(r"@\d+\.\d", text) and not GROUPED_YEAR.search(text), lang
    text = _text(_in(client, "fr", reverse("cities:list")))
    assert "Chine" in text and not re.search(r"\bCN\b", text)


def test_carbon_inventory_names_gpc_sectors_in_the_page_language(client: Any, city: Any) -> None:
    from pathlib import Path

    from ecocite.carbon.demo import demo_activity_path
    from ecocite.web.carbon.services import import_activity

    path = Path(demo_activity_path("jingzhou"))
    record = import_activity(path.name, path.read_bytes(), city=city, gwp_set="ar5", user=None)
    url = reverse("carbon:inventory", args=[record.pk])
    for lang, sector, gone in (
        ("fr", "Énergie stationnaire", "Stationary energy"),
        ("zh-hans", "固定能源", "Stationary energy"),
        ("en", "Stationary energy", "Énergie stationnaire"),
    ):
        html = _in(client, lang, url)
        assert sector in html and gone not in html, lang
        assert not GROUPED_YEAR.search(_text(html)), lang
    assert 'title="non estimé"' in _in(client, "fr", url)  # notation keys spelt out


@pytest.mark.parametrize("lang", LANGS)
def test_language_switcher_names_each_language_in_its_own_words(
    client: Any, db: Any, lang: str
) -> None:
    html = _in(client, lang, "/")
    options = dict(re.findall(r'<option value="([^"]+)" lang="[^"]+"[^>]*>([^<]+)</option>', html))
    assert options == {"fr": "Français", "zh-hans": "简体中文", "en": "English"}


def test_404_is_the_sites_own_translated_page(client: Any, db: Any) -> None:
    for lang, title in (
        ("fr", "Page introuvable"),
        ("zh-hans", "页面未找到"),
        ("en", "Page not found"),
    ):
        client.post(reverse("core:language"), {"language": lang, "next": "/"})
        response = client.get("/cities/no-such-city/")
        assert response.status_code == 404
        html = response.content.decode()
        assert title in html and 'class="top"' in html, lang
        assert reverse("cities:list") in html


def test_403_says_why_and_where_to_go(client: Any, make_user: Any, city: Any) -> None:
    client.force_login(make_user("resident", (RoleKind.RESIDENT, None)))
    client.post(reverse("core:language"), {"language": "fr", "next": "/"})
    response = client.get(reverse("assessments:new", args=[city.slug]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Accès refusé" in html and "resident" in html
    assert "administrateur" in html and reverse("accounts:profile") in html

    request = RequestFactory().get("/cities/jingzhou/assess/")
    request.user = AnonymousUser()
    request.session = {}  # type: ignore[assignment]
    with translation.override("zh-hans"):
        anonymous = defaults.permission_denied(request, PermissionDenied()).content.decode()
    assert "无权访问" in anonymous and "尚未登录" in anonymous
    assert f"{reverse('accounts:login')}?next=/cities/jingzhou/assess/" in anonymous


def test_500_is_translated_without_the_request_context(db: Any) -> None:
    request = RequestFactory().get("/")
    with translation.override("fr"):
        html = defaults.server_error(request).content.decode()
    assert "Erreur du serveur" in html and 'lang="fr"' in html
    assert "réessayez" in html


def test_password_reset_mail_is_in_the_accounts_preferred_language(
    client: Any, make_user: Any
) -> None:
    from django.core import mail

    user = make_user("li")
    user.preferred_language = "zh-hans"
    user.save()
    client.post(reverse("core:language"), {"language": "fr", "next": "/"})  # a French browser
    response = client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "有人申请重置您的生态城密码" in message.body, message.body
    assert "Quelqu'un" not in message.body
