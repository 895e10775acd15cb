"""Stops with frequent service, from a GTFS feed (zip), offline."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ecocite.access.errors import AccessInputError

_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _read(z: zipfile.ZipFile, name: str, path: Path, required: bool = True) -> pd.DataFrame:
    if name not in z.namelist():
        if required:
            raise AccessInputError(f"{path}: GTFS feed has no {name}")
        return pd.DataFrame()
    return pd.read_csv(io.BytesIO(z.read(name)), dtype=str, keep_default_na=False)


def _seconds(hms: pd.Series) -> np.ndarray:
    parts = hms.str.strip().str.split(":", expand=True)
    if parts.shape[1] < 3:
        return np.full(len(hms), np.nan)
    h, m, s = (pd.to_numeric(parts[i], errors="coerce") for i in range(3))
    return (h * 3600 + m * 60 + s).to_numpy(dtype=float)


def default_service_date(calendar: pd.DataFrame) -> dt.date:
    """Return the first Wednesday inside every calendar period's common range (or the first one)."""
    start = pd.to_datetime(calendar["start_date"], format="%Y%m%d").max().date()
    day = start + dt.timedelta(days=(2 - start.weekday()) % 7)
    return day


def services_on(calendar: pd.DataFrame, dates: pd.DataFrame, day: dt.date) -> set[str]:
    """Return the GTFS service ids running on ``day`` (calendar plus its exceptions)."""
    key = day.strftime("%Y%m%d")
    active: set[str] = set()
    if len(calendar):
        in_range = (calendar["start_date"] <= key) & (calendar["end_date"] >= key)
        on_day = calendar[_DAYS[day.weekday()]].str.strip() == "1"
        active = set(calendar.loc[in_range & on_day, "service_id"])
    if len(dates):
        today = dates[dates["date"] == key]
        active |= set(today.loc[today["exception_type"].str.strip() == "1", "service_id"])
        active -= set(today.loc[today["exception_type"].str.strip() == "2", "service_id"])
    return active


def frequent_stops(
    gtfs_zip: str | Path,
    *,
    date: dt.date | None = None,
    window_hours: tuple[float, float] = (7, 19),
    max_mean_headway_min: float = 20.0,
) -> tuple[pd.DataFrame, dict[str, object]]:
    """Departures per stop on one service day and whether the stop has frequent service.

    Args:
        gtfs_zip: path of a GTFS zip.
        date: service day; default the first Wednesday of the feed's calendar.
        window_hours: daytime window [start, end) in hours.
        max_mean_headway_min: a stop is frequent when window length / departures is at most
            this many minutes (all routes and directions at the stop together).

    Returns
    -------
        (stops frame with ``stop_id, stop_name, lon, lat, departures, mean_headway_min,
        frequent``; a dict of what was used, for provenance).
    """
    path = Path(gtfs_zip)
    if not path.is_file():
        raise AccessInputError(f"{path}: GTFS file not found")
    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise AccessInputError(f"{path}: not a zip file (GTFS feeds are zip archives)") from None
    with z:
        stops = _read(z, "stops.txt", path)
        trips = _read(z, "trips.txt", path)
        times = _read(z, "stop_times.txt", path)
        calendar = _read(z, "calendar.txt", path, required=False)
        dates = _read(z, "calendar_dates.txt", path, required=False)
    for frame, name, cols in (
        (stops, "stops.txt", ("stop_id", "stop_lat", "stop_lon")),
        (trips, "trips.txt", ("trip_id", "service_id")),
        (times, "stop_times.txt", ("trip_id", "stop_id", "departure_time")),
    ):
        for col in cols:
            if col not in frame.columns:
                raise AccessInputError(f"{path}: {name} has no column '{col}'")
    if date is None:
        if not len(calendar):
            raise AccessInputError(f"{path}: no calendar.txt; pass the service date explicitly")
        date = default_service_date(calendar)
    active = services_on(calendar, dates, date)
    day_trips = set(trips.loc[trips["service_id"].isin(active), "trip_id"])
    sec = _seconds(times["departure_time"])
    lo, hi = window_hours[0] * 3600, window_hours[1] * 3600
    mask = times["trip_id"].isin(day_trips).to_numpy() & (sec >= lo) & (sec < hi)
    departures = times.loc[mask].groupby("stop_id").size()
    out = pd.DataFrame(
        {
            "stop_id": stops["stop_id"],
            "stop_name": stops.get("stop_name", pd.Series("", index=stops.index)),
            "lon": pd.to_numeric(stops["stop_lon"], errors="coerce"),
            "lat": pd.to_numeric(stops["stop_lat"], errors="coerce"),
        }
    )
    bad = out["lon"].isna() | out["lat"].isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise AccessInputError(f"{path}: stops.txt row {row}: stop_lat/stop_lon not a number")
    out["departures"] = out["stop_id"].map(departures).fillna(0).astype(int)
    minutes = (hi - lo) / 60
    with np.errstate(divide="ignore"):
        out["mean_headway_min"] = np.where(
            out["departures"] > 0, minutes / out["departures"].clip(lower=1), np.inf
        )
    out["frequent"] = out["mean_headway_min"] <= max_mean_headway_min
    used = {
        "file": path.name,
        "service_date": date.isoformat(),
        "window_hours": list(window_hours),
        "max_mean_headway_min": max_mean_headway_min,
        "services": sorted(active),
        "stops": len(out),
        "frequent_stops": int(out["frequent"].sum()),
    }
    return out, used
