"""A seeded stand-in for the LA traffic-collision table, in `parse_raw`'s schema, for when no real copy
is on the machine. Its marginals follow the published figures (Victim Age mean 41.4, std 16.7,
median 38; Time Occurred mean 1352, median 1430; 21 areas; Crime Code 997) and the shares seen in a
real month of the data; columns are drawn independently apart from area -> name, district, position."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.datasets.la_schema import AREA_NAMES, DATE_DTYPE, PARSED_COLUMNS, TEXT_DTYPE

FIRST_DAY = np.datetime64("2010-01-01")
LAST_DAY = np.datetime64("2025-03-31")

# Share of collisions per area 1..21 and each area's centre (lat, lon), from a real month of the data.
AREA_WEIGHTS = np.array(
    [39, 33, 55, 31, 36, 53, 55, 67, 48, 52, 51, 59, 39, 63, 57, 33, 44, 37, 44, 56, 48], dtype=float
)
AREA_CENTRES = np.array([
    (34.0481, -118.2491), (34.0632, -118.2777), (34.0176, -118.3192), (34.0600, -118.2044),
    (33.7793, -118.2908), (34.0981, -118.3310), (34.0623, -118.3478), (34.0479, -118.4399),
    (34.1794, -118.4486), (34.1939, -118.5273), (34.1055, -118.2595), (33.9747, -118.2958),
    (34.0102, -118.2589), (33.9905, -118.4271), (34.1689, -118.3877), (34.2482, -118.3965),
    (34.2500, -118.5366), (33.9423, -118.2739), (34.2448, -118.4499), (34.0608, -118.3004),
    (34.1938, -118.6016),
])  # fmt: skip

# Collisions per hour of the day 0..23 (afternoon peak), tuned so Time Occurred has mean ~1352, median ~1430.
HOUR_WEIGHTS = np.array(
    [25, 26, 28, 18, 11, 13, 19, 37, 47, 42, 46, 47, 57, 64, 68, 75, 72, 76, 73, 66, 51, 32, 31, 28], dtype=float
)
# Reports round the minute: :00 and :30 most, then quarters, then other multiples of 5.
MINUTE_WEIGHTS = np.full(60, 0.1)
MINUTE_WEIGHTS[::5] = [21, 4.3, 6.0, 8.2, 7.4, 4.1, 15, 4.4, 6.2, 7.9, 7.2, 4.4]

SEX = (("M", 56.5), ("F", 37.5), ("X", 5.0))
SEX_MISSING = 0.01
DESCENT = (
    ("H", 34.8), ("W", 25.1), ("O", 16.7), ("B", 13.0), ("A", 4.6), ("X", 3.1), ("K", 1.0), ("F", 0.56),
    ("C", 0.17), ("P", 0.08), ("V", 0.08), ("J", 0.05), ("I", 0.03), ("Z", 0.03), ("G", 0.02), ("S", 0.01),
)  # fmt: skip
DESCENT_MISSING = 0.015  # on top of the rows with no sex (victim unknown)
AGE_MISSING = 0.15
PREMISES = (
    (101, "STREET", 78.0),
    (108, "PARKING LOT", 8.5),
    (102, "SIDEWALK", 3.0),
    (104, "DRIVEWAY", 2.0),
    (103, "ALLEY", 1.0),
    (122, "VEHICLE, PASSENGER/TRUCK", 1.0),
    (707, "GAS STATION", 0.8),
    (502, "MULTI-UNIT DWELLING (APARTMENT, DUPLEX, ETC)", 0.7),
    (501, "SINGLE FAMILY DWELLING", 0.6),
    (203, "OTHER BUSINESS", 0.6),
    (109, "PARK/PLAYGROUND", 0.3),
    (128, "BUS STOP/LAYOVER (ALSO QUERY 124)", 0.3),
    (210, "RESTAURANT/FAST FOOD", 0.3),
    (119, "PORCH, RESIDENTIAL", 0.1),
)
PREMISE_MISSING = 0.001
MO_CODES = (
    ("3101", 30), ("3401", 28), ("3004", 26), ("3701", 22), ("0605", 14), ("3026", 12), ("3028", 10),
    ("3030", 9), ("3036", 9), ("3037", 8), ("4025", 7), ("3034", 6), ("3029", 6), ("3003", 5), ("3006", 4),
    ("3008", 4), ("3009", 4), ("3011", 3), ("3012", 3), ("3025", 3), ("3035", 3), ("3102", 3), ("3201", 2),
    ("3501", 2), ("3602", 2), ("4003", 2), ("4026", 2), ("3038", 1), ("3039", 1), ("3040", 1),
)  # fmt: skip
MO_CODES_MISSING = 0.1
STREETS = (
    "FIGUEROA ST", "WESTERN AV", "VERMONT AV", "SEPULVEDA BL", "SUNSET BL", "WILSHIRE BL", "VENTURA BL",
    "VICTORY BL", "SHERMAN WY", "SANTA MONICA BL", "HOLLYWOOD BL", "CRENSHAW BL", "MANCHESTER AV",
    "SLAUSON AV", "FLORENCE AV", "VERNON AV", "JEFFERSON BL", "ADAMS BL", "WASHINGTON BL", "VENICE BL",
    "PICO BL", "OLYMPIC BL", "3RD ST", "6TH ST", "7TH ST", "MAIN ST", "BROADWAY", "ALAMEDA ST", "CENTRAL AV",
    "AVALON BL", "SAN PEDRO ST", "NORMANDIE AV", "HOOVER ST", "ALVARADO ST", "BEVERLY BL", "MELROSE AV",
    "FAIRFAX AV", "LA BREA AV", "LA CIENEGA BL", "ROBERTSON BL", "OVERLAND AV", "LINCOLN BL", "RESEDA BL",
    "TAMPA AV", "WOODMAN AV", "VAN NUYS BL", "LAUREL CANYON BL", "LANKERSHIM BL", "ROSCOE BL", "NORDHOFF ST",
    "DEVONSHIRE ST", "RINALDI ST", "FOOTHILL BL", "SAN FERNANDO RD", "GLENDALE BL", "EAGLE ROCK BL", "YORK BL",
    "CESAR E CHAVEZ AV", "SOTO ST", "WHITTIER BL", "GAFFEY ST", "PACIFIC AV", "ANAHEIM ST", "TOPANGA CANYON BL",
    "DE SOTO AV", "WINNETKA AV", "CANOGA AV", "HAWTHORNE BL", "IMPERIAL HY", "CENTURY BL",
)  # fmt: skip
CROSS_STREET_MISSING = 0.5
LOCATION_MISSING = 0.005


def synthetic_collisions(rows: int, seed: int) -> pd.DataFrame:
    """`rows` synthetic collisions in the PARSED schema (see la_schema.PARSED_COLUMNS), the same for the
    same seed. DR Numbers are unique; dates lie in 2010-01-01..2025-03-31, reported on or after they occurred."""
    rng = np.random.default_rng(seed)
    area = 1 + _draw(rng, AREA_WEIGHTS, rows)
    occurred = FIRST_DAY + rng.integers(0, (LAST_DAY - FIRST_DAY).astype(int) + 1, rows)
    delay = np.where(rng.random(rows) < 0.75, 0, np.ceil(rng.exponential(2.5, rows))).astype(int)
    reported = np.minimum(occurred + delay, LAST_DAY)
    time = 100 * _draw(rng, HOUR_WEIGHTS, rows) + _draw(rng, MINUTE_WEIGHTS, rows)

    premise = _draw(rng, [w for _, _, w in PREMISES], rows)
    premise[rng.random(rows) < PREMISE_MISSING] = -1
    premise_codes = np.array([code for code, _, _ in PREMISES])

    sex = _draw(rng, [w for _, w in SEX], rows)
    sex[rng.random(rows) < SEX_MISSING] = -1
    descent = _draw(rng, [w for _, w in DESCENT], rows)
    descent[(sex < 0) | (rng.random(rows) < DESCENT_MISSING)] = -1

    # Each area has its own busiest streets: a Zipf-like rank, shifted by area.
    street = (area * 7 + np.minimum(rng.zipf(1.6, rows), 60)) % len(STREETS)
    cross = (street + rng.integers(1, len(STREETS), rows)) % len(STREETS)
    cross[rng.random(rows) < CROSS_STREET_MISSING] = -1

    missing_location = rng.random(rows) < LOCATION_MISSING
    centre = AREA_CENTRES[area - 1]
    latitude = np.round(centre[:, 0] + rng.normal(0, 0.018, rows), 4)
    longitude = np.round(centre[:, 1] + rng.normal(0, 0.022, rows), 4)
    latitude[missing_location] = np.nan
    longitude[missing_location] = np.nan

    columns = {
        "DR Number": _int(_dr_numbers(rng, reported, area)),
        "Date Reported": pd.Series(reported, dtype=DATE_DTYPE),
        "Date Occurred": pd.Series(occurred, dtype=DATE_DTYPE),
        "Time Occurred": _int(time),
        "Hour Occurred": _int(time // 100),
        "Minute Occurred": _int(time % 100),
        "Area ID": _int(area),
        "Area Name": _text(list(AREA_NAMES.values()), area - 1),
        "Reporting District": _int(area * 100 + rng.integers(0, 100, rows)),
        "Crime Code": _int(np.full(rows, 997)),
        "Crime Code Description": _text(["TRAFFIC COLLISION"], np.zeros(rows, dtype=int)),
        "MO Codes": _mo_codes(rng, rows),
        "Victim Age": pd.Series(_ages(rng, rows)),
        "Victim Sex": _text([s for s, _ in SEX], sex),
        "Victim Descent": _text([d for d, _ in DESCENT], descent),
        "Premise Code": _int(np.where(premise >= 0, premise_codes[premise], 0), missing=premise < 0),
        "Premise Description": _text([d for _, d, _ in PREMISES], premise),
        "Address": _text(STREETS, street),
        "Cross Street": _text(STREETS, cross),
        "Latitude": pd.Series(latitude),
        "Longitude": pd.Series(longitude),
    }
    return pd.DataFrame({name: columns[name] for name in PARSED_COLUMNS})


def _draw(rng: np.random.Generator, weights, rows: int) -> np.ndarray:
    """Indices 0..len(weights)-1 drawn with the given relative weights."""
    cumulative = np.cumsum(np.asarray(weights, dtype=float))
    return np.searchsorted(cumulative, rng.random(rows) * cumulative[-1], side="right")


def _ages(rng: np.random.Generator, rows: int) -> np.ndarray:
    """Whole years 10..99, right-skewed (shifted gamma: mean ~41.4, std ~16.7, median ~38), 15% unknown."""
    age = np.floor(12.5 + rng.gamma(2.9, 10.4, rows))
    too_old = age > 99
    age[too_old] = rng.integers(10, 100, int(too_old.sum()))
    young = rng.random(rows) < 0.01  # a few young victims (cyclists, passengers)
    age[young] = rng.integers(10, 18, int(young.sum()))
    age[rng.random(rows) < AGE_MISSING] = np.nan
    return age


def _dr_numbers(rng: np.random.Generator, reported: np.ndarray, area: np.ndarray) -> np.ndarray:
    """LAPD's DR layout: 2-digit report year, 2-digit area, then a sequence number unique within both."""
    year = reported.astype("datetime64[Y]").astype(int) + 1970
    group = (year % 100) * 100 + area
    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    sizes = np.diff(np.r_[starts, len(group)])
    stride = max(1, min(20, 99_998 // int(sizes.max(initial=1))))  # spread numbers like a shared sequence
    steps = np.cumsum(rng.integers(1, stride + 1, len(group)))
    before = np.repeat(np.r_[0, steps[starts[1:] - 1]], sizes)
    sequence = np.empty_like(steps)
    sequence[order] = steps - before
    width = 10 ** max(5, len(str(int(sequence.max(initial=0)))))
    return group * width + sequence


def _mo_codes(rng: np.random.Generator, rows: int) -> pd.Series:
    """1-5 distinct 4-digit codes per row, ascending and space-separated, as the portal lists them."""
    codes = sorted(code for code, _ in MO_CODES)
    weights = dict(MO_CODES)
    picks = _draw(rng, [weights[code] for code in codes], rows * 5).reshape(rows, 5)
    count = 1 + _draw(rng, [30, 25, 20, 15, 10], rows)
    picks[np.arange(5) >= count[:, None]] = len(codes)  # past the row's count: an empty slot, sorted last
    picks.sort(axis=1)
    picks[:, 1:][picks[:, 1:] == picks[:, :-1]] = len(codes)  # a repeated code is dropped
    picks.sort(axis=1)
    # Each slot is 4 digits and a space; the empty slot is NULs, which the bytes dtype drops at the end.
    slots = np.zeros((len(codes) + 1, 5), dtype=np.uint8)
    slots[:-1, :4] = np.frombuffer("".join(codes).encode(), dtype=np.uint8).reshape(len(codes), 4)
    slots[:-1, 4] = ord(" ")
    text = slots[picks].reshape(rows, 25).view("S25").ravel().astype("U25")
    series = pd.Series(np.strings.rstrip(text), dtype=TEXT_DTYPE)
    return series.mask(rng.random(rows) < MO_CODES_MISSING)


def _int(values: np.ndarray, missing: np.ndarray | None = None) -> pd.Series:
    values = np.asarray(values, dtype=np.int64)
    mask = np.zeros(len(values), dtype=bool) if missing is None else missing
    return pd.Series(pd.arrays.IntegerArray(values, mask))


def _text(names, codes: np.ndarray) -> pd.Series:
    """names[code] as text; code -1 is missing."""
    table = np.array(list(names) + [np.nan], dtype=object)
    return pd.Series(table[codes], dtype=TEXT_DTYPE)
