"""The maps pages (files, place search) and the place field of the proposal form, without JS."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

from django.test import Client
from django.urls import reverse
from shapely.geometry import Point, shape

from ecocite.web.accounts.models import RoleKind
from ecocite.web.consultations.demo import VEGUETA
from ecocite.web.consultations.models import Process, Proposal
from ecocite.web.maps import services


def _resident(make_user: Any) -> Client:
    client = Client()
    client.force_login(make_user("rosa", (RoleKind.RESIDENT, None)))
    return client


def test_the_map_files_are_served_compressed_or_plain(las_palmas: Any) -> None:
    client = Client()
    manifest = client.get(reverse("maps:manifest", args=["las-palmas"])).json()
    assert manifest["attribution"] == "© OpenStreetMap contributors"
    assert manifest["counts"]["heritage"] > 5 and manifest["counts"]["buildings"] > 1000
    assert manifest["base"] == "/maps/las-palmas/"
    plain = client.get("/maps/las-palmas/heritage.geojson")
    assert plain.status_code == 200 and plain["Content-Type"] == "application/geo+json"
    heritage = json.loads(b"".join(plain.streaming_content))
    assert len(heritage["features"]) == manifest["counts"]["heritage"]
    assert "Casa Museo Pérez Galdós" in {f["properties"]["name"] for f in heritage["features"]}
    zipped = client.get("/maps/las-palmas/heritage.geojson", HTTP_ACCEPT_ENCODING="gzip, br")
    assert zipped["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(b"".join(zipped.streaming_content))) == heritage
    ix, iy = manifest["tiles"]["buildings"][0]
    cell = client.get(f"/maps/las-palmas/tiles/buildings/{ix}_{iy}.geojson")
    assert cell.status_code == 200
    for url in (
        "/maps/las-palmas/buildings.geojson",  # cut in cells: no whole file
        "/maps/las-palmas/places.geojson",
        "/maps/las-palmas/tiles/streets/0_0.geojson",
        "/maps/las-palmas/tiles/buildings/1_1.geojson",
        "/maps/nowhere/streets.geojson",
    ):
        assert client.get(url).status_code == 404, url


def test_a_city_without_a_built_map(city: Any) -> None:
    client = Client()
    assert client.get(reverse("maps:manifest", args=[city.slug])).status_code == 404
    found = client.get(reverse("maps:places", args=[city.slug]), {"q": "rue"}).json()
    assert found["results"] == []
    assert services.map_attributes(city)["manifest"] == ""


def test_place_search(las_palmas: Any) -> None:
    client = Client()
    url = reverse("maps:places", args=["las-palmas"])
    results = client.get(url, {"q": "obispo codina"}).json()["results"]
    assert results[0]["label"] == "Calle Obispo Codina" and results[0]["kind"] == "street"
    assert results[0]["kind_label"] == "rue"  # in the default language
    lon, lat = results[0]["geometry"]["coordinates"]
    assert shape(VEGUETA).contains(Point(lon, lat))
    english = client.get(url, {"q": "obispo codina"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["results"][0]["kind_label"] == "street"
    inside = client.get(url, {"q": "calle", "bbox": "-15.4150,28.0985,-15.4105,28.1045"}).json()
    assert inside["results"]
    assert all(r["geometry"]["coordinates"][0] >= -15.4150 for r in inside["results"])
    assert client.get(url, {"q": "calle", "bbox": "a,b"}).status_code == 400
    assert client.get(url, {"q": ""}).json()["results"] == []
    assert client.get(url, {"q": "<script>"}).json()["results"] == []


def test_the_keyboard_route_without_scripts(vegueta: Process, make_user: Any) -> None:
    """Words in the search box, publish: the places found come back as radio buttons; choose
    one and publish again: the proposal's place is that place's point."""
    client = _resident(make_user)
    url = reverse("consultations:propose", args=[vegueta.slug])
    page = client.get(url)
    assert b'name="geometry_q"' in page.content and b'name="geometry"' in page.content
    assert (
        b'class="map place-map"' in page.content
        and b"/maps/las-palmas/manifest.json" in page.content
    )
    data = {"title": "Sombra", "body": "Árboles en la calle.", "geometry_q": "obispo codina"}
    page = client.post(url, data)
    assert page.status_code == 422 and not Proposal.objects.exists()
    html = page.content.decode()
    assert "Choisissez le lieu parmi les résultats" in html
    choices = re.findall(r'name="geometry_choice" id="[^"]+" value="(\d+)"', html)
    assert choices and "Calle Obispo Codina" in html
    assert 'value="Sombra"' in html  # what was typed stays
    response = client.post(url, {**data, "geometry_choice": choices[0]})
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.geometry["type"] == "Point"
    assert shape(VEGUETA).contains(shape(proposal.geometry))
    assert proposal.geometry == services.place_geometry(vegueta.city, int(choices[0]))


def test_a_search_finding_nothing_or_a_stale_choice(vegueta: Process, make_user: Any) -> None:
    client = _resident(make_user)
    url = reverse("consultations:propose", args=[vegueta.slug])
    base = {"title": "Sombra", "body": "Árboles."}
    page = client.post(url, {**base, "geometry_q": "zzqx nowhere"})
    assert page.status_code == 422 and "Aucune rue, aucun lieu" in page.content.decode()
    page = client.post(url, {**base, "geometry_q": "x", "geometry_choice": "99999999"})
    assert page.status_code == 422 and "plus dans la liste" in page.content.decode()
    # outside the site, the search finds nothing (Mesa y López is in another district)
    page = client.post(url, {**base, "geometry_q": "mesa y lopez"})
    assert page.status_code == 422 and not Proposal.objects.exists()


def test_bad_geometry_is_a_clear_form_error(
    vegueta: Process, whole_city: Process, make_user: Any
) -> None:
    client = _resident(make_user)
    crossing = {
        "type": "Polygon",
        "coordinates": [[[-15.416, 28.100], [-15.412, 28.103], [-15.412, 28.100],
                         [-15.416, 28.103], [-15.416, 28.100]]],
    }  # fmt: skip
    madrid = {"type": "Point", "coordinates": [-3.70, 40.42]}
    triana = {"type": "Point", "coordinates": [-15.4325, 28.1090]}  # in the city, not in Vegueta
    cases = [
        (vegueta, crossing, "se croise"),
        (vegueta, triana, "hors du site"),
        (whole_city, madrid, "en dehors de Las Palmas de Gran Canaria"),
        (whole_city, {"type": "Point", "coordinates": [-15.41]}, "coordonnées"),
    ]
    for process, geometry, message in cases:
        page = client.post(
            reverse("consultations:propose", args=[process.slug]),
            {"title": "Sombra", "body": "Árboles.", "geometry": json.dumps(geometry)},
        )
        assert page.status_code == 422, message
        assert message in page.content.decode(), message
    assert not Proposal.objects.exists()
    ok = client.post(
        reverse("consultations:propose", args=[whole_city.slug]),
        {"title": "Sombra", "body": "Árboles.", "geometry": json.dumps(triana)},
    )
    assert ok.status_code == 302 and Proposal.objects.get().geometry == triana


def test_the_process_page_has_a_clustered_map_following_the_filters(
    vegueta: Process, make_user: Any
) -> None:
    page = Client().get(
        reverse("consultations:process", args=[vegueta.slug]), {"status": "accepted"}
    )
    html = page.content.decode()
    assert 'class="map process-map"' in html
    assert f'data-markers="/consultations/{vegueta.slug}/map.geojson?status=accepted"' in html
    assert "markercluster/leaflet.markercluster.js" in html
    assert 'data-manifest="/maps/las-palmas/manifest.json"' in html


def test_a_tile_url_for_deployments_online(vegueta: Process, settings: Any) -> None:
    url = reverse("consultations:process", args=[vegueta.slug])
    assert 'data-tiles=""' in Client().get(url).content.decode()  # offline by default
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© OpenStreetMap contributors"
    html = Client().get(url).content.decode()
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert 'data-tiles-credit="© OpenStreetMap contributors"' in html
