"""The LA traffic-collision schema (LA Open Data, d5tf-ez2w): the portal's export columns, the API's
field names, and `parse_raw`, which turns either into typed columns. Vectorised pandas only: the
full table has ~620,000 rows."""

from __future__ import annotations

import re

import pandas as pd

from core.errors import DataError

# The portal's CSV export, in its column order.
RAW_COLUMNS: tuple[str, ...] = (
    "DR Number",
    "Date Reported",
    "Date Occurred",
    "Time Occurred",
    "Area ID",
    "Area Name",
    "Reporting District",
    "Crime Code",
    "Crime Code Description",
    "MO Codes",
    "Victim Age",
    "Victim Sex",
    "Victim Descent",
    "Premise Code",
    "Premise Description",
    "Address",
    "Cross Street",
    "Location",
)

# The API (SODA) serves the same fields in snake_case; there `location` is the street address.
SODA_TO_RAW: dict[str, str] = {
    "dr_no": "DR Number",
    "date_rptd": "Date Reported",
    "date_occ": "Date Occurred",
    "time_occ": "Time Occurred",
    "area": "Area ID",
    "area_name": "Area Name",
    "rpt_dist_no": "Reporting District",
    "crm_cd": "Crime Code",
    "crm_cd_desc": "Crime Code Description",
    "mocodes": "MO Codes",
    "vict_age": "Victim Age",
    "vict_sex": "Victim Sex",
    "vict_descent": "Victim Descent",
    "premis_cd": "Premise Code",
    "premis_desc": "Premise Description",
    "location": "Address",
    "cross_street": "Cross Street",
    "location_1": "Location",
}

AREA_NAMES: dict[int, str] = {
    1: "Central",
    2: "Rampart",
    3: "Southwest",
    4: "Hollenbeck",
    5: "Harbor",
    6: "Hollywood",
    7: "Wilshire",
    8: "West LA",
    9: "Van Nuys",
    10: "West Valley",
    11: "Northeast",
    12: "77th Street",
    13: "Newton",
    14: "Pacific",
    15: "N Hollywood",
    16: "Foothill",
    17: "Devonshire",
    18: "Southeast",
    19: "Mission",
    20: "Olympic",
    21: "Topanga",
}

DATE_DTYPE = "datetime64[ns]"
TEXT_DTYPE = "str"  # pandas' default string dtype; missing values are NaN

INT_COLUMNS = ("DR Number", "Area ID", "Reporting District", "Crime Code", "Premise Code")
DATE_COLUMNS = ("Date Reported", "Date Occurred")
TEXT_COLUMNS = (
    "Area Name",
    "Crime Code Description",
    "MO Codes",
    "Victim Sex",
    "Victim Descent",
    "Premise Description",
    "Address",
    "Cross Street",
)

# What `parse_raw` returns, in this order, and how a model should treat each column.
# Codes (area, district, crime, premise) are labels, not quantities.
FEATURE_TYPES: dict[str, str] = {
    "DR Number": "numeric",
    "Date Reported": "datetime",
    "Date Occurred": "datetime",
    "Time Occurred": "numeric",
    "Hour Occurred": "numeric",
    "Minute Occurred": "numeric",
    "Area ID": "categorical",
    "Area Name": "categorical",
    "Reporting District": "categorical",
    "Crime Code": "categorical",
    "Crime Code Description": "categorical",
    "MO Codes": "categorical",
    "Victim Age": "numeric",
    "Victim Sex": "categorical",
    "Victim Descent": "categorical",
    "Premise Code": "categorical",
    "Premise Description": "categorical",
    "Address": "categorical",
    "Cross Street": "categorical",
    "Latitude": "numeric",
    "Longitude": "numeric",
}
PARSED_COLUMNS: tuple[str, ...] = tuple(FEATURE_TYPES)

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_POINT = rf"^POINT\s*\(\s*({_NUMBER})\s+({_NUMBER})\s*\)$"  # WKT: lon first
_JSON_LAT = rf"""['"]?latitude['"]?\s*:\s*['"]?({_NUMBER})"""
_JSON_LON = rf"""['"]?longitude['"]?\s*:\s*['"]?({_NUMBER})"""


def parse_raw(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    """Typed columns (PARSED_COLUMNS) from the portal's export or the API's CSV. Values that cannot
    be read become missing; `origin` (a file name or URL) goes into the error for a wrong schema."""
    frame = frame.rename(columns=lambda name: str(name).strip())
    soda = {k: v for k, v in SODA_TO_RAW.items() if k in frame.columns and v not in frame.columns}
    frame = frame.rename(columns=soda)
    missing = [name for name in RAW_COLUMNS if name not in frame.columns]
    if missing:
        raise DataError(f"{origin}: not the LA collision schema: missing columns {', '.join(missing)}")

    out: dict[str, pd.Series] = {}
    for name in INT_COLUMNS:
        out[name] = _to_int(frame[name])
    for name in DATE_COLUMNS:
        out[name] = _to_date(frame[name])
    time = _to_int(frame["Time Occurred"])
    time = time.where((time >= 0) & (time <= 2359) & (time % 100 < 60))
    out["Time Occurred"] = time
    out["Hour Occurred"] = time // 100
    out["Minute Occurred"] = time % 100
    for name in TEXT_COLUMNS:
        out[name] = _to_text(frame[name])
    for name in ("Address", "Cross Street"):  # the export pads street names: "JEFFERSON      BL"
        out[name] = out[name].str.replace(r"\s{2,}", " ", regex=True)
    out["Victim Age"] = pd.to_numeric(_to_text(frame["Victim Age"]), errors="coerce").astype("float64")
    out["Latitude"], out["Longitude"] = _to_lat_lon(frame["Location"])
    return pd.DataFrame({name: out[name].reset_index(drop=True) for name in PARSED_COLUMNS})


def to_raw_frame(parsed: pd.DataFrame) -> pd.DataFrame:
    """The inverse of `parse_raw`: text columns as the portal's export writes them (MM/DD/YYYY dates,
    "(lat, lon)" locations with "(0.0, 0.0)" for unknown, blank for missing)."""
    raw: dict[str, pd.Series] = {}
    for name in RAW_COLUMNS:
        if name in DATE_COLUMNS:
            raw[name] = parsed[name].dt.strftime("%m/%d/%Y")
        elif name == "Reporting District":
            raw[name] = parsed[name].astype("str").str.zfill(4)  # the portal's text field: "0329"
        elif name in INT_COLUMNS or name == "Time Occurred":
            raw[name] = parsed[name].astype("str")
        elif name == "Victim Age":
            age = parsed[name]
            whole = age.where(age == age.round()).astype("Int64").astype("str")
            raw[name] = whole.fillna(age.astype("str"))  # "41", but "41.5" if ever fractional
        elif name == "Location":
            known = parsed["Latitude"].notna() & parsed["Longitude"].notna()
            lat = parsed["Latitude"].where(known, 0.0).astype("str")
            lon = parsed["Longitude"].where(known, 0.0).astype("str")
            raw[name] = "(" + lat + ", " + lon + ")"
        else:
            raw[name] = parsed[name].astype(TEXT_DTYPE)
    return pd.DataFrame(raw).reset_index(drop=True)


def _to_text(series: pd.Series) -> pd.Series:
    text = series.astype(TEXT_DTYPE).str.strip()
    return text.mask(text == "")


def _to_int(series: pd.Series) -> pd.Series:
    """Int64; anything that is not a whole number (text, 12.5, blank) becomes <NA>."""
    numbers = pd.to_numeric(_to_text(series), errors="coerce").astype("float64")
    whole = numbers.where(numbers == numbers.round())
    return whole.astype("Int64")


def _to_date(series: pd.Series) -> pd.Series:
    """Date only, from "MM/DD/YYYY", "MM/DD/YYYY hh:mm:ss AM" or ISO "YYYY-MM-DDThh:mm:ss.sss"."""
    day = _to_text(series).str.replace(r"[T ].*$", "", regex=True)
    dates = pd.to_datetime(day, format="%m/%d/%Y", errors="coerce")
    other = dates.isna() & day.notna()  # the API's ISO dates; parsed apart, as they are rare in an export
    if other.any():
        dates[other] = pd.to_datetime(day[other], format="%Y-%m-%d", errors="coerce")
    return dates.astype(DATE_DTYPE)


def _to_lat_lon(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Latitude and longitude from "(lat, lon)", WKT "POINT (lon lat)" or a {'latitude': ..} mapping.
    (0, 0) is the portal's "unknown"; it and anything unreadable become NaN."""
    text = _to_text(series)
    pair = text.str.strip("()").str.split(",", n=1, expand=True).reindex(columns=[0, 1])
    lat = pd.to_numeric(pair[0], errors="coerce").astype("float64")
    lon = pd.to_numeric(pair[1], errors="coerce").astype("float64")
    other = (lat.isna() | lon.isna()) & text.notna()  # the slower patterns only where the pair did not fit
    if other.any():
        rest = text[other]
        point = rest.str.extract(_POINT, flags=re.IGNORECASE)
        lat[other] = pd.to_numeric(point[1].fillna(rest.str.extract(_JSON_LAT)[0]), errors="coerce")
        lon[other] = pd.to_numeric(point[0].fillna(rest.str.extract(_JSON_LON)[0]), errors="coerce")
    known = lat.notna() & lon.notna() & ~((lat == 0) & (lon == 0))
    return lat.where(known), lon.where(known)
