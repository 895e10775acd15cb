"""Fixtures of the carbon tests (helpers live in carbon_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def small_activity(tmp_path: Path) -> Path:
    """One city, a handful of sectors; numbers chosen to be easy to recompute."""
    body = (
        "t,2020,I.3.1,fuel,1000,t,other_bituminous_coal,,,,,,,,high,,\n"
        "t,2020,I.1.2,electricity,1000,MWh,,hubei,,,,,,,medium,,\n"
        "t,2020,II.1.1,fuel,500,t,motor_gasoline,,,,,,,,medium,,\n"
        "t,2020,I.1.3,electricity,50,MWh,,hubei,,,,,,,low,,\n"
        "t,2020,III.1.1,landfill,1000,t,,,food,managed_anaerobic,temperate_wet,2019,,,low,,\n"
        "t,2020,III.4.1,wastewater,1000,t,,,,,,,0.3,,low,,\n"
        "t,2020,I.7.1,,,,,,,,,,,,,NO,\n"
        "t,2020,II.4.1,,,,,,,,,,,,,IE,airport fuel reported in II.1.1\n"
    )
    header = (
        "city,year,gpc_ref,activity,amount,unit,fuel,grid_region,waste_type,site_type,"
        "climate_zone,deposit_year,mcf,gas,data_quality,notation_key,explanation\n"
    )
    path = tmp_path / "small.csv"
    path.write_text(header + body, encoding="utf-8")
    return path
