"""The Sino-French pilot eco-cities of 2017–2018, as demo cities with their real boundaries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

from ecocite.cities.model import RegistryCity
from ecocite.i18n import Text


@dataclass(frozen=True)
class DemoCity:
    """A demo city: id, administrative code, names and boundary file."""

    id: str
    admin_code: str | None
    name: Text
    province: Text


_HUBEI = Text(fr="Hubei", zh="湖北省", en="Hubei")
_JILIN = Text(fr="Jilin", zh="吉林省", en="Jilin")

DEMO_CITIES: tuple[DemoCity, ...] = (
    DemoCity("jingzhou", "421000", Text(fr="Jingzhou", zh="荆州市", en="Jingzhou"), _HUBEI),
    DemoCity("jilin", "220200", Text(fr="Jilin (ville)", zh="吉林市", en="Jilin City"), _JILIN),
    DemoCity("panshi", "220284", Text(fr="Panshi", zh="磐石市", en="Panshi"), _JILIN),
    DemoCity(
        "qingyun",
        "371423",
        Text(fr="Xian de Qingyun", zh="庆云县", en="Qingyun County"),
        Text(fr="Shandong", zh="山东省", en="Shandong"),
    ),
    DemoCity(
        "foshan",
        "440600",
        Text(fr="Foshan", zh="佛山市", en="Foshan"),
        Text(fr="Guangdong", zh="广东省", en="Guangdong"),
    ),
    DemoCity(
        "caidian",
        "420114",
        Text(fr="Caidian (Wuhan)", zh="武汉市蔡甸区", en="Caidian District, Wuhan"),
        _HUBEI,
    ),
)


def demo_cities() -> list[RegistryCity]:
    """Return the demo cities with the simplified real boundaries in ``ecocite/demo/boundaries``."""
    folder = resources.files("ecocite.demo") / "boundaries"
    cities = []
    for spec in DEMO_CITIES:
        feature = json.loads((folder / f"{spec.id}.geojson").read_text(encoding="utf-8"))
        cities.append(
            RegistryCity(
                id=spec.id,
                name=spec.name,
                country="CN",
                province=spec.province,
                admin_code=spec.admin_code,
                boundary=feature["geometry"],
                boundary_source=f"{feature['properties']['source']}; simplified {feature['properties']['simplified']}",
            )
        )
    return cities
