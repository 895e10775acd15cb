"""Private places are not public (issue 15 item 6), and the Hill numbers of the land-use mix.

pyrosm keeps ``access`` inside the JSON ``tags`` field of a feature, not as a column; the rule
"features tagged access=private|no are left out" must read it there. Checked on the real Las
Palmas extract against an independent reading of the same file.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ecocite.access.osm import is_private, tag_values


def test_the_tag_is_read_from_the_column_or_from_pyrosm_tags() -> None:
    features = pd.DataFrame(
        {
            "tags": [
                '{"access":"private","name:es":"Club"}',
                '{"access": " No "}',
                {"access": "private"},
                '{"access":"yes"}',
                '{"operator":"x"}',
                'not json, but mentions "access"',
                None,
                '{"access":"private"}',
            ],
            "access": [None, None, None, None, None, None, "private", "permissive"],
        }
    )
    assert tag_values(features, "access").tolist() == [
        "private", "no", "private", "yes", pd.NA, pd.NA, "private", "permissive",
    ]  # fmt: skip
    # the column wins over the JSON where both exist (last row)
    assert is_private(features).tolist() == [True, True, True, False, False, False, True, False]
    assert not is_private(pd.DataFrame({"amenity": ["pharmacy"]})).any()  # neither: public


@pytest.fixture(scope="module")
def private_ids(las_palmas_pbf) -> dict[str, set[int]]:  # type: ignore[no-untyped-def]
    """Ids of features tagged access=private|no in the extract, read with pyrosm and json only."""
    import pyrosm

    osm = pyrosm.OSM(str(las_palmas_pbf))
    pois = osm.get_pois(custom_filter={"amenity": True, "leisure": True, "shop": True})
    private: dict[str, set[int]] = {"leisure": set(), "other": set()}
    for fid, tags, leisure in zip(pois["id"], pois["tags"], pois["leisure"], strict=True):
        access = json.loads(tags).get("access") if isinstance(tags, str) else None
        if access in ("private", "no"):
            private["leisure" if isinstance(leisure, str) else "other"].add(int(fid))
    return private


def test_las_palmas_private_parks_and_facilities_are_left_out(las_palmas, private_ids) -> None:  # type: ignore[no-untyped-def]
    rep = las_palmas.report
    # the figures of the issue: 12 private parks of about 15,600 m2 within the municipality
    assert rep["private_green_left_out"] == 12
    assert rep["private_green_left_out_m2"] == pytest.approx(15_619, abs=1)
    # every private feature read (within the boundary + 1 km), of which 31 in a category
    assert rep["private_features_left_out"] == 103
    assert rep["private_facilities_left_out_by_category"] == {
        "park": 13,
        "pharmacy": 2,
        "sports": 16,
    }
    assert len(private_ids["leisure"]) > 12 and len(private_ids["other"]) > 0
    # no facility and no green area comes from a private feature
    fac_ids = {int(g.split("/")[1]) for g in las_palmas.facilities["group"]}
    assert not fac_ids & (private_ids["leisure"] | private_ids["other"])
    assert not set(las_palmas.green["id"].astype(int)) & private_ids["leisure"]


def test_green_space_per_person_counts_public_parks_only(las_palmas_result, las_palmas) -> None:  # type: ignore[no-untyped-def]
    s = las_palmas_result.summary.set_index("indicator")
    prov = json.loads(s.loc["public_green_space_per_capita", "provenance"])
    facts = prov["details"]
    assert facts["private_green_left_out"] == 12
    assert s.loc["public_green_space_per_capita", "value"] == pytest.approx(
        facts["public_green_m2"] / 378_000
    )
    assert (
        "12 areas tagged access=private|no left out"
        in s.loc["public_green_space_per_capita", "notes"]
    )


def test_land_use_mix_carries_its_hill_numbers(las_palmas_result) -> None:  # type: ignore[no-untyped-def]
    s = las_palmas_result.summary.set_index("indicator")
    facts = json.loads(s.loc["land_use_mix", "provenance"])["details"]
    areas = np.array(list(facts["areas_m2"].values()))
    p = areas[areas > 0] / areas.sum()
    hill = facts["hill_numbers"]
    assert hill["q0"] == len(p)
    assert hill["q1"] == pytest.approx(np.exp(-(p * np.log(p)).sum()))
    assert hill["q2"] == pytest.approx(1 / (p**2).sum())
    assert hill["q0"] >= hill["q1"] >= hill["q2"] >= 1  # Hill numbers never increase with q
    # the evenness reported is Shannon over ln(number of classes)
    assert s.loc["land_use_mix", "value"] == pytest.approx(
        np.log(hill["q1"]) / np.log(facts["classes"])
    )
    assert f"q1 = {hill['q1']:.2f}" in s.loc["land_use_mix", "notes"]
