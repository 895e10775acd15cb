"""Three languages: complete, compiled catalogues; a switcher; names and numbers per language."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

import ecocite.web

LOCALE = Path(ecocite.web.__file__).parent / "locale"
CATALOGUES = {"fr": "fr", "zh_Hans": "zh-hans", "en": "en"}


def read_po(path: Path) -> dict[str, list[str]]:
    """msgid → [msgstr, …] (several for plural forms), header excluded."""
    entries: dict[str, list[str]] = {}
    msgid: str | None = None
    current: list[str] = []
    target: str | None = None

    def text(line: str) -> str:
        return str(ast.literal_eval(line[line.index('"') :]))

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if line.startswith("msgid "):
            if msgid:
                entries[msgid] = current
            msgid, current, target = text(line), [], "id"
        elif line.startswith("msgid_plural"):
            target = "plural"
        elif line.startswith("msgstr"):
            current.append(text(line))
            target = "str"
        elif line.startswith('"') and msgid is not None:
            if target == "id":
                msgid += text(line)
            elif target == "str":
                current[-1] += text(line)
        elif not line and msgid:
            entries[msgid] = current
            msgid = None
    return entries


@pytest.mark.parametrize("folder", sorted(CATALOGUES))
def test_every_string_is_translated_and_compiled(folder: str) -> None:
    po = LOCALE / folder / "LC_MESSAGES" / "django.po"
    assert (po.with_suffix(".mo")).exists(), "compile the catalogue (django.mo)"
    entries = read_po(po)
    assert len(entries) > 150
    untranslated = [m for m, strs in entries.items() if not all(s.strip() for s in strs)]
    assert untranslated == []
    with translation.override(CATALOGUES[folder]):
        for msgid, strs in entries.items():
            if len(strs) == 1:  # the .mo must agree with the .po (no stale compile)
                assert translation.gettext(msgid) == strs[0]


def test_catalogues_cover_every_template_string() -> None:
    """Every {% translate %} text of the templates is in the catalogue (run makemessages)."""
    templates = Path(ecocite.web.__file__).parent / "templates"
    entries = read_po(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po")
    pattern = re.compile(r"""{% translate "([^"]+)" %}|{% translate '([^']+)' %}""")
    # Django looks a literal up with each "%" doubled (Variable.resolve), as makemessages writes it.
    found = {
        (a or b).replace("%", "%%")
        for path in templates.rglob("*.html")
        for a, b in pattern.findall(path.read_text(encoding="utf-8"))
    }
    assert found and found <= set(entries)


def test_chinese_placeholders_match(folder: str = "zh_Hans") -> None:
    for lang in ("fr", "zh_Hans"):
        for msgid, strs in read_po(LOCALE / lang / "LC_MESSAGES" / "django.po").items():
            wanted = sorted(re.findall(r"%\(\w+\)\w", msgid))
            for s in strs:
                assert sorted(re.findall(r"%\(\w+\)\w", s)) == wanted, (lang, msgid)


def test_language_switcher_and_city_names(client: Any, city: Any) -> None:
    page = client.get(reverse("cities:detail", args=[city.slug]))
    assert "Province" in page.content.decode() and "荆州市" not in page.content.decode()
    response = client.post(
        reverse("core:language"), {"language": "zh-hans", "next": reverse("cities:list")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("cities:list")
    html = client.get(reverse("cities:list")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "荆州市" in html and "省份" in html and "湖北省" in html
    client.post(reverse("core:language"), {"language": "en", "next": "/"})
    html = client.get(reverse("cities:list")).content.decode()
    assert "Jingzhou" in html and "Hubei" in html and "Province" in html


def test_switcher_refuses_foreign_redirects(client: Any, db: Any) -> None:
    response = client.post(
        reverse("core:language"), {"language": "fr", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_signed_in_user_gets_preferred_language(client: Any, make_user: Any, password: str) -> None:
    user = make_user("li")
    user.preferred_language = "zh-hans"
    user.save()
    client.post(reverse("accounts:login"), {"username": "li", "password": password})
    assert "城市总览" in client.get("/").content.decode()


def test_numbers_are_formatted_per_locale(client: Any, city: Any) -> None:
    """Quantities follow the language (French decimal comma and narrow space between thousands);
    years never do: "2020", not "2,020" or "2 020"."""
    city.latest_score, city.latest_year, city.latest_level = 12345.64, 2020, "two_star"
    city.save()
    for lang, expected in (("fr", "12\u202f345,6"), ("en", "12,345.6"), ("zh-hans", "12,345.6")):
        client.post(reverse("core:language"), {"language": lang, "next": "/"})
        html = client.get(reverse("cities:list")).content.decode()
        assert expected in html, lang
        assert "<td>2020</td>" in html, lang
        assert not re.search(r"2[,.\s\u00a0\u202f]020", html), lang


def test_framework_browser_in_three_languages(client: Any, framework_key: str, db: Any) -> None:
    from ecocite.web.frameworks.registry import framework_by_key

    framework = framework_by_key(framework_key)
    category = framework.categories[0]
    indicator = category.indicators[0]
    for lang, key in (("fr", "fr"), ("zh-hans", "zh"), ("en", "en")):
        client.post(reverse("core:language"), {"language": lang, "next": "/"})
        html = client.get(reverse("frameworks:detail", args=[framework_key])).content.decode()
        for text in (framework.name, category.name, indicator.name):
            assert getattr(text, key) in html
