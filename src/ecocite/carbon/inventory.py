"""GPC v1.1 inventory: activity rows × emission factors → CO2, CH4, N2O and CO2e by sub-sector.

Emissions = activity data × emission factor (GPC Eq. 5.1). Fuel burnt is turned into energy with
its net calorific value when the factor is per unit of energy (IPCC 2006 Vol. 2 Eq. 2.1), landfill
methane follows the first-order decay method (:mod:`ecocite.carbon.waste`). Every row records the
factors it used. Factor lookups that fail are reported for all rows at once; nothing is returned
from a partial computation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

import ecocite
from ecocite.carbon.activity import NOTATION_KEYS, ActivityData, validate_activity
from ecocite.carbon.errors import RowError, ValidationFailed
from ecocite.carbon.library import Factor, FactorLibrary, gpc_subsectors, gwp, waste_defaults
from ecocite.carbon.units import product_to, scale
from ecocite.carbon.waste import ch4_from_deposit

# IPCC CH4/N2O tables are per source category; GPC sub-sectors map onto them. Agriculture/forestry/
# fishing shares IPCC Table 2.5 with residential, hence I.5 → residential.
SECTOR_GROUPS = {
    "I.1": "residential",
    "I.2": "commercial",
    "I.3": "manufacturing",
    "I.4": "energy_industries",
    "I.5": "residential",
    "I.6": "commercial",
    "II.1": "road",
    "II.2": "rail",
    "II.3": "waterborne",
    "II.4": "aviation",
    "II.5": "off_road",
    "III.3": "incineration",
}
_CONFIDENCE_RANK = {"U": 0, "S": 1, "V": 2, "local": 3}
ROW_COLUMNS = [
    "city",
    "year",
    "gpc_ref",
    "sector",
    "sector_name",
    "subsector",
    "subsector_name",
    "scope",
    "reporting_level",
    "activity",
    "detail",
    "amount",
    "unit",
    "energy_tj",
    "electricity_mwh",
    "co2_t",
    "ch4_t",
    "n2o_t",
    "co2e_t",
    "co2_biogenic_t",
    "gases_not_estimated",
    "notation_key",
    "explanation",
    "data_quality",
    "factor_quality",
    "factor_ids",
    "factor_sources",
    "factor_confidence",
    "unverified",
    "description",
    "source",
    "source_file",
    "source_row",
]


def sector_group(gpc_ref: str) -> str:
    """Return the sector group of a GPC reference number."""
    parts = gpc_ref.split(".")
    return SECTOR_GROUPS.get(".".join(parts[:2]), "other")


@dataclass
class Inventory:
    """Result rows (one per activity row) and how they were obtained."""

    rows: pd.DataFrame
    gwp_set: str
    factor_library_version: str
    provenance: dict[str, Any] = field(default_factory=dict)
    illustrative: bool = False

    def cities(self) -> list[tuple[str, int]]:
        """Return the (city, year) pairs in the inventory."""
        pairs = self.rows[["city", "year"]].drop_duplicates().itertuples(index=False)
        return [(str(c), int(y)) for c, y in pairs]

    def select(self, level: str = "basic") -> pd.DataFrame:
        """Rows counted in a reporting level: ``basic``, ``basic+`` or ``territorial``."""
        levels = {
            "basic": ("basic",),
            "basic+": ("basic", "basic+"),
            "territorial": ("territorial",),
        }
        if level not in levels:
            raise ValueError(
                f"unknown reporting level {level!r}; expected basic, basic+ or territorial"
            )
        return self.rows[self.rows["reporting_level"].isin(levels[level])]

    def totals(self, level: str = "basic") -> pd.DataFrame:
        """CO2, CH4, N2O, CO2e (t) by city and year for ``level``."""
        cols = ["co2_t", "ch4_t", "n2o_t", "co2e_t", "co2_biogenic_t"]
        out = self.select(level).groupby(["city", "year"], as_index=False)[cols].sum()
        out["reporting_level"] = level
        return out

    def by_sector(self, level: str = "basic") -> pd.DataFrame:
        """CO2e (t) by city, year, GPC sector and scope."""
        rows = self.select(level)
        return rows.groupby(["city", "year", "sector", "sector_name", "scope"], as_index=False)[
            ["co2_t", "ch4_t", "n2o_t", "co2e_t"]
        ].sum()

    def summary(self, city: str | None = None, year: int | None = None) -> pd.DataFrame:
        """Return the sector × scope table: per GPC reference number, CO2e or a notation key.

        A cell with neither data nor a notation key is shown as ``NE`` with the explanation
        "no data supplied", so an empty cell is never silently zero.
        """
        if city is None or year is None:
            city, year = self.cities()[0]
        rows = self.rows[(self.rows["city"] == city) & (self.rows["year"] == year)]
        schema = gpc_subsectors()
        lines = []
        for ref, meta in schema.iterrows():
            here = rows[rows["gpc_ref"] == ref]
            data = here[here["notation_key"] == ""]
            keys = here[here["notation_key"] != ""]
            if not data.empty:
                value, key, why = float(data["co2e_t"].sum()), "", ""
                quality = _worst_quality(
                    data["data_quality"].tolist() + data["factor_quality"].tolist()
                )
            elif not keys.empty:
                value, key = float("nan"), str(keys["notation_key"].iloc[0])
                why, quality = str(keys["explanation"].iloc[0]), ""
            else:
                value, key, why, quality = float("nan"), "NE", "no data supplied", ""
            lines.append(
                {
                    "city": city,
                    "year": year,
                    "gpc_ref": ref,
                    "sector": meta["sector"],
                    "sector_name": meta["sector_name"],
                    "subsector": meta["subsector"],
                    "subsector_name": meta["subsector_name"],
                    "scope": int(meta["scope"]),
                    "reporting_level": meta["reporting_level"],
                    "co2e_t": value,
                    "notation_key": key,
                    "explanation": why,
                    "quality": quality,
                }
            )
        return pd.DataFrame(lines)

    def energy(self, level: str = "basic") -> pd.DataFrame:
        """Return the final energy (TJ) by city and year: fuel, electricity, heat, renewables."""
        rows = self.select(level)
        rows = rows[rows["sector"].isin(["I", "II"])]
        ren = self.rows[self.rows["activity"] == "renewable_generation"]
        out = rows.groupby(["city", "year"], as_index=False).agg(
            fuel_tj=(
                "energy_tj",
                lambda s: float(s[rows.loc[s.index, "activity"] == "fuel"].sum()),
            ),
            electricity_mwh=("electricity_mwh", "sum"),
        )
        bio = rows[(rows["activity"] == "fuel") & (rows["co2_biogenic_t"] > 0)]
        bio_tj = bio.groupby(["city", "year"])["energy_tj"].sum()
        ren_mwh = ren.groupby(["city", "year"])["electricity_mwh"].sum()
        keys = list(zip(out["city"], out["year"], strict=True))
        out["biomass_tj"] = [float(bio_tj.get(k, 0.0)) for k in keys]
        out["local_renewable_mwh"] = [float(ren_mwh.get(k, 0.0)) for k in keys]
        return out


def _worst_quality(values: list[str]) -> str:
    order = {"low": 0, "medium": 1, "high": 2}
    rated = [v for v in values if v in order]
    return min(rated, key=order.__getitem__) if rated else "unrated"


def compute_inventory(
    activity: ActivityData | pd.DataFrame,
    *,
    library: FactorLibrary | None = None,
    gwp_set: str = "ar5",
) -> Inventory:
    """Compute a GPC inventory from validated activity data.

    Parameters
    ----------
    activity:
        :class:`ActivityData` from :func:`read_activity`, or a tidy frame (validated here).
    library:
        Factor library with local overrides; defaults to the bundled library with no local factors.
    gwp_set:
        ``"ar5"`` or ``"ar6"`` GWP100 for CO2e.
    """
    if isinstance(activity, pd.DataFrame):
        activity = validate_activity(activity)
    library = library or FactorLibrary()
    gwps = gwp(gwp_set)
    schema = gpc_subsectors()
    waste = waste_defaults()
    errors: list[RowError] = []
    out: list[dict[str, Any]] = []
    for rec in activity.frame.to_dict("records"):
        row: dict[str, Any] = {str(k): v for k, v in rec.items()}
        meta = schema.loc[row["gpc_ref"]]
        base = {
            "city": row["city"],
            "year": int(row["year"]),
            "gpc_ref": row["gpc_ref"],
            "sector": meta["sector"],
            "sector_name": meta["sector_name"],
            "subsector": meta["subsector"],
            "subsector_name": meta["subsector_name"],
            "scope": int(meta["scope"]),
            "reporting_level": meta["reporting_level"],
            "activity": row.get("activity", ""),
            "amount": row["amount"],
            "unit": row["unit"],
            "notation_key": row["notation_key"],
            "explanation": row.get("explanation", ""),
            "data_quality": row["data_quality"],
            "description": row.get("description", ""),
            "source": row.get("source", ""),
            "source_file": row["source_file"],
            "source_row": int(row["source_row"]),
        }
        if row["notation_key"]:
            out.append({**base, **_empty_result(), "detail": NOTATION_KEYS[row["notation_key"]]})
            continue
        try:
            result = _compute_row(row, library, waste)
        except _RowProblem as problem:
            errors.append(
                RowError.described(
                    row["source_file"],
                    int(row["source_row"]),
                    problem.field,
                    problem.problem,
                    problem.expected,
                )
            )
            continue
        factors: list[Factor] = result.pop("factors")
        result["co2e_t"] = (
            result["co2_t"] + result["ch4_t"] * gwps["CH4"] + result["n2o_t"] * gwps["N2O"]
        )
        result["factor_ids"] = json.dumps([f.factor_id for f in factors])
        result["factor_sources"] = " | ".join(dict.fromkeys(f.source for f in factors))
        conf = min(
            (f.confidence for f in factors), key=lambda c: _CONFIDENCE_RANK.get(c, 0), default=""
        )
        result["factor_confidence"] = conf
        result["unverified"] = conf == "U"
        result["factor_quality"] = (
            _worst_quality([f.quality for f in factors]) if factors else "unrated"
        )
        out.append({**base, **result})
    if errors:
        raise ValidationFailed(errors)
    rows = pd.DataFrame(out).reindex(columns=ROW_COLUMNS)
    provenance = {
        "engine": "ecocite.carbon.inventory",
        "version": ecocite.__version__,
        "factor_library": library.version,
        "factor_sets": list(library.factor_sets),
        "grid_series": library.grid_series,
        "gwp": gwp_set,
        "local_factors": len(library.local),
        "inputs": [activity.provenance()],
    }
    return Inventory(rows, gwp_set, library.version, provenance, illustrative=activity.illustrative)


def _empty_result() -> dict[str, Any]:
    return {
        "detail": "",
        "energy_tj": 0.0,
        "electricity_mwh": 0.0,
        "co2_t": 0.0,
        "ch4_t": 0.0,
        "n2o_t": 0.0,
        "co2e_t": 0.0,
        "co2_biogenic_t": 0.0,
        "gases_not_estimated": "",
        "factor_quality": "",
        "factor_ids": "[]",
        "factor_sources": "",
        "factor_confidence": "",
        "unverified": False,
    }


class _RowProblem(Exception):
    def __init__(self, fld: str, problem: str, expected: str) -> None:
        super().__init__(problem)
        self.field, self.problem, self.expected = fld, problem, expected


def _apply(factor: Factor, amount: float, unit: str, energy_tj: float | None) -> float:
    """Tonnes of gas from ``amount`` [unit] and a factor per activity unit or per energy."""
    try:
        return amount * product_to(unit, factor.unit, "t") * factor.value * factor.oxidation
    except ValueError:
        if energy_tj is None:
            raise _RowProblem(
                "unit",
                f"{unit!r} does not convert with factor {factor.factor_id} in {factor.unit}",
                f"a unit compatible with {factor.unit}",
            ) from None
        try:
            return energy_tj * product_to("TJ", factor.unit, "t") * factor.value * factor.oxidation
        except ValueError:
            raise _RowProblem(
                "unit",
                f"factor {factor.factor_id} in {factor.unit} is neither per activity unit nor per energy",
                "a factor unit such as kg/TJ or t/t",
            ) from None


def _compute_row(row: dict[str, Any], lib: FactorLibrary, waste: dict[str, Any]) -> dict[str, Any]:
    res = _empty_result()
    amount, unit, activity = float(row["amount"]), str(row["unit"]), row["activity"]
    factors: list[Factor] = []
    not_estimated: list[str] = []

    if activity == "fuel":
        fuel, group = row["fuel"], sector_group(row["gpc_ref"])
        res["detail"] = fuel
        energy: float | None = None
        try:
            energy = amount * scale(unit, "TJ")
        except ValueError:
            ncv = lib.ncv(fuel)
            if ncv is not None:
                try:
                    energy = amount * product_to(unit, ncv.unit, "TJ") * ncv.value
                    factors.append(ncv)
                except ValueError:
                    raise _RowProblem(
                        "unit",
                        f"{unit!r} does not convert to energy with the NCV of {fuel} ({ncv.factor_id}, {ncv.unit})",
                        f"a unit whose dimension matches the NCV denominator ({ncv.unit}), or an energy unit",
                    ) from None
        co2 = lib.combustion(fuel, "CO2", group)
        if co2 is None:
            raise _RowProblem(
                "fuel",
                f"missing factor: no CO2 factor for {fuel} in factor sets {list(lib.factor_sets)}",
                "a factor for this fuel (add a local factor)",
            )
        factors.append(co2)
        tonnes = _apply(co2, amount, unit, energy)
        if fuel in lib.biogenic_fuels:
            res["co2_biogenic_t"] = tonnes
        else:
            res["co2_t"] = tonnes
        for gas in ("CH4", "N2O"):
            f = lib.combustion(fuel, gas, group)
            if f is None:
                not_estimated.append(gas)
                continue
            factors.append(f)
            res[f"{gas.lower()}_t"] = _apply(f, amount, unit, energy)
        res["energy_tj"] = energy or 0.0
    elif activity == "electricity":
        f = lib.electricity(row["grid_region"], int(row["year"]))
        if f is None:
            raise _RowProblem(
                "grid_region",
                f"missing factor: no grid factor for region {row['grid_region']!r}",
                f"one of {', '.join(lib.grid_regions())} or a local electricity factor",
            )
        factors.append(f)
        res["co2_t"] = _apply(f, amount, unit, None)
        res["electricity_mwh"] = amount * scale(unit, "MWh")
        res["energy_tj"] = amount * scale(unit, "TJ")
        res["detail"] = f"grid {row['grid_region']}" + (
            f" (factor year {f.year})" if f.year else ""
        )
        not_estimated = ["CH4", "N2O"]
    elif activity == "heat":
        f = lib.local_only("heat", "CO2")
        if f is None:
            raise _RowProblem(
                "activity",
                "missing factor: the library has no district-heat factor",
                "a local factor with kind=heat, gas=CO2",
            )
        factors.append(f)
        res["co2_t"] = _apply(f, amount, unit, None)
        res["energy_tj"] = amount * scale(unit, "TJ")
        res["detail"] = "district heat"
        not_estimated = ["CH4", "N2O"]
    elif activity == "landfill":
        wt, site, zone = row["waste_type"], row["site_type"], row["climate_zone"]
        k_table, doc_table = (
            waste["decay_rate_k"]["values"],
            waste["degradable_organic_carbon"]["values"],
        )
        if wt not in k_table or wt not in doc_table:
            missing = "decay rate k" if wt not in k_table else "DOC"
            raise _RowProblem(
                "waste_type",
                f"missing factor: no IPCC default {missing} for waste type {wt!r}",
                f"a waste type with both k and DOC: {sorted(set(k_table) & set(doc_table))}",
            )
        mcf = float(waste["methane_correction_factor"]["values"][site])
        ox = float(waste["oxidation_factor"]["values"][site])
        tonnes = amount * scale(unit, "t")
        res["ch4_t"] = ch4_from_deposit(
            waste_t=tonnes,
            deposit_year=int(row["deposit_year"]),
            year=int(row["year"]),
            k=float(k_table[wt][zone]),
            doc=float(doc_table[wt]),
            docf=float(waste["docf"]["value"]),
            mcf=mcf,
            f=float(waste["methane_fraction_f"]["value"]),
            ox=ox,
        )
        res["detail"] = f"{wt} deposited {row['deposit_year']} ({site}, {zone})"
        factors += [
            Factor(
                f"ipcc2006:fod:k:{wt}:{zone}",
                float(k_table[wt][zone]),
                "1/yr",
                waste["decay_rate_k"]["source"],
                "low",
                waste["decay_rate_k"]["confidence"],
            ),
            Factor(
                f"ipcc2006:fod:doc:{wt}",
                float(doc_table[wt]),
                "1",
                waste["degradable_organic_carbon"]["source"],
                "low",
                waste["degradable_organic_carbon"]["confidence"],
            ),
            Factor(
                f"ipcc2006:fod:mcf:{site}",
                mcf,
                "1",
                waste["methane_correction_factor"]["source"],
                "low",
                waste["methane_correction_factor"]["confidence"],
            ),
        ]
        not_estimated = ["N2O"]
    elif activity == "biological":
        found = False
        for gas in ("CH4", "N2O"):
            f = lib.local_only("biological", gas)
            if f is not None:
                factors.append(f)
                res[f"{gas.lower()}_t"] = _apply(f, amount, unit, None)
                found = True
        if not found:
            raise _RowProblem(
                "activity",
                "missing factor: the library has no biological-treatment factor",
                "a local factor with kind=biological, gas=CH4 and/or N2O",
            )
        res["detail"] = "biological treatment"
    elif activity == "wastewater":
        bo = waste["wastewater_bo_cod"]
        mcf = float(row["mcf"])
        res["ch4_t"] = amount * scale(unit, "kg") * float(bo["value"]) * mcf / 1000.0
        factors.append(
            Factor(
                "ipcc2006:wastewater:bo_cod",
                float(bo["value"]),
                "kg/kg",
                bo["source"],
                "low",
                bo["confidence"],
            )
        )
        res["detail"] = f"wastewater COD, MCF {mcf:g} (user input)"
        not_estimated = ["N2O"]
    elif activity == "direct":
        res[f"{row['gas'].lower()}_t"] = amount * scale(unit, "t")
        res["detail"] = f"direct {row['gas']} (reported)"
    elif activity == "renewable_generation":
        res["electricity_mwh"] = amount * scale(unit, "MWh")
        res["detail"] = "local renewable generation"
    res["gases_not_estimated"] = ",".join(not_estimated)
    res["factors"] = factors
    return res


def combine(inventories: list[Inventory]) -> Inventory:
    """Stack inventories computed with the same GWP set into one."""
    if not inventories:
        raise ValueError("no inventories to combine")
    sets = {inv.gwp_set for inv in inventories}
    if len(sets) > 1:
        raise ValueError(f"cannot combine inventories with different GWP sets {sorted(sets)}")
    rows = pd.concat([inv.rows for inv in inventories], ignore_index=True)
    prov = dict(inventories[0].provenance)
    prov["inputs"] = [i for inv in inventories for i in inv.provenance.get("inputs", [])]
    return Inventory(
        rows,
        inventories[0].gwp_set,
        inventories[0].factor_library_version,
        prov,
        any(i.illustrative for i in inventories),
    )


def total_of(inv: Inventory, gas: str = "co2e_t", level: str = "basic") -> float:
    """One number: the total of ``gas`` over every city-year in ``inv``."""
    return float(np.nansum(inv.select(level)[gas].to_numpy(dtype=float)))
