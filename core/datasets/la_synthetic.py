"""A seeded stand-in for the LA traffic-collision table, in `parse_raw`'s schema, for when no real copy
is on the machine. Its marginals follow the published figures (Victim Age mean 41.4, std 16.7,
median 38; Time Occurred mean 1352, median 1430; 21 areas; Crime Code 997) and the shares seen in a
real month of the data. Its joint structure is fitted to a real sample (3,572 collisions of January 2013;
bench/fit_la_stand_in.py re-derives every table below from it):

    area -> descent -> sex;  day of the week -> hour;  (sex, descent, hour, area) -> age;  sex -> age unknown;
    area -> name, district, streets, position (spread per area)

The sample has no premises, MO codes or streets, so those are drawn independently of the victim."""

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
# Standard deviation of (lat, lon) around each centre: the real sample's, per area.
AREA_SPREADS = np.array([
    (0.0094, 0.0108), (0.0135, 0.0119), (0.0147, 0.0275), (0.0222, 0.0174), (0.0458, 0.0202), (0.0086, 0.0200),
    (0.0157, 0.0175), (0.0202, 0.0378), (0.0205, 0.0162), (0.0197, 0.0251), (0.0164, 0.0412), (0.0140, 0.0201),
    (0.0164, 0.0141), (0.0281, 0.0326), (0.0230, 0.0193), (0.0205, 0.0507), (0.0192, 0.0384), (0.0185, 0.0210),
    (0.0347, 0.0149), (0.0117, 0.0101), (0.0206, 0.0293),
])  # fmt: skip
LATITUDES, LONGITUDES = (33.70, 34.34), (-118.67, -118.15)  # the city's bounding box: tails are clipped to it

# Collisions per hour of the day 0..23 (afternoon peak), tuned so Time Occurred has mean ~1352, median ~1430.
HOUR_WEIGHTS = np.array(
    [25, 26, 28, 18, 11, 13, 19, 37, 47, 42, 46, 47, 57, 64, 68, 75, 72, 76, 73, 66, 51, 32, 31, 28], dtype=float
)
# Weekends shift collisions into the night and out of the morning rush: the real sample's weekend / all-days
# lift per hour, applied to HOUR_WEIGHTS. Weekdays get the rest, so over a week the hours are HOUR_WEIGHTS.
WEEKEND_HOUR_WEIGHTS = np.array([
    41.7, 39.4, 48.0, 23.0, 16.7, 13.6, 8.0, 17.7, 19.8, 27.1, 46.6, 39.6, 59.7, 53.7, 75.5, 68.1, 62.1, 62.9,
    60.9, 55.2, 60.9, 29.4, 35.9, 34.4,
])  # fmt: skip
WEEKEND_SHARE = 2 / 7
_week = HOUR_WEIGHTS / HOUR_WEIGHTS.sum()
HOUR_BY_WEEKEND = np.array([
    (_week - WEEKEND_SHARE * WEEKEND_HOUR_WEIGHTS / WEEKEND_HOUR_WEIGHTS.sum()) / (1 - WEEKEND_SHARE),
    WEEKEND_HOUR_WEIGHTS,
])  # fmt: skip
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
# Descent given the area: shares (%) of DESCENT_GROUPS and of the rarer codes together (split as in DESCENT),
# per area 1..21. The sample's counts, smoothed and raked to AREA_WEIGHTS x DESCENT.
DESCENT_GROUPS = ("H", "W", "O", "B", "A", "X", "K")
DESCENT_GROUP_BY_AREA = np.array([
    (36.9, 19.2, 18.6, 10.3, 9.8, 0.2, 2.7, 2.2), (40.7, 21.3, 12.6, 8.3, 8.5, 0.3, 4.1, 4.3),
    (37.0, 11.8, 7.1, 38.2, 5.1, 0.6, 0.0, 0.1), (71.3, 10.4, 8.9, 4.4, 2.9, 1.1, 0.1, 1.0),
    (34.0, 28.9, 17.6, 9.5, 5.4, 3.8, 0.1, 0.8), (24.3, 37.7, 21.3, 7.1, 4.3, 4.7, 0.1, 0.6),
    (28.1, 33.4, 16.4, 12.3, 6.6, 2.1, 0.5, 0.6), (18.4, 38.9, 23.6, 9.4, 5.1, 4.6, 0.0, 0.0),
    (36.1, 35.4, 18.2, 5.7, 1.4, 1.9, 0.6, 0.6), (36.9, 35.8, 21.1, 3.7, 1.8, 0.7, 0.1, 0.1),
    (37.9, 27.7, 17.2, 7.5, 6.6, 1.2, 0.1, 1.7), (37.0, 3.4, 9.3, 48.9, 0.7, 0.1, 0.0, 0.5),
    (58.0, 9.6, 11.0, 16.1, 3.0, 0.2, 1.4, 0.8), (18.1, 42.3, 14.7, 9.9, 2.3, 12.1, 0.5, 0.0),
    (28.3, 31.0, 27.2, 4.9, 4.0, 4.0, 0.0, 0.5), (48.4, 22.0, 15.7, 3.4, 3.6, 5.1, 0.1, 1.8),
    (25.2, 33.6, 19.7, 6.2, 4.5, 6.9, 0.1, 3.9), (49.0, 6.9, 7.7, 32.8, 1.8, 1.7, 0.1, 0.1),
    (55.6, 13.8, 16.3, 6.9, 0.9, 5.7, 0.1, 0.7), (35.2, 11.7, 13.7, 11.1, 15.2, 1.6, 10.5, 1.1),
    (20.8, 34.5, 27.3, 7.3, 3.6, 3.5, 0.1, 3.0),
])  # fmt: skip
# Sex (M, F, X %) given the descent group: B and A victims are as often women as men, H, W and O ones mostly
# men; a victim of unknown descent (X) is nearly always of unknown sex (X) too. The sample's counts, smoothed and
# raked to DESCENT x SEX.
SEX_BY_DESCENT_GROUP = np.array([
    (60.8, 38.3, 0.9), (62.6, 36.2, 1.3), (65.0, 33.1, 1.9), (45.2, 52.4, 2.4), (48.5, 45.3, 6.3),
    (1.0, 0.5, 98.5), (40.3, 39.6, 20.1), (43.6, 35.5, 20.9),
])  # fmt: skip
# Each code of DESCENT's group; the rarer codes share the last group's share as they share DESCENT's.
RARE = len(DESCENT_GROUPS)
GROUP_OF_DESCENT = np.array([DESCENT_GROUPS.index(d) if d in DESCENT_GROUPS else RARE for d, _ in DESCENT])
_rare = np.array([w * (g == RARE) for (_, w), g in zip(DESCENT, GROUP_OF_DESCENT, strict=True)])
_within_group = np.where(GROUP_OF_DESCENT < RARE, 1.0, _rare / _rare.sum())
DESCENT_BY_AREA = DESCENT_GROUP_BY_AREA[:, GROUP_OF_DESCENT] * _within_group  # area x code of DESCENT
SEX_BY_DESCENT = SEX_BY_DESCENT_GROUP[GROUP_OF_DESCENT]  # code of DESCENT x sex

# Age is the published marginal (see _marginal_ages) put in the order of a latent normal score (a Gaussian
# copula): the sum of a shift per sex, descent group, hour and area, plus noise. The shifts are fitted to the
# real sample's age normal scores (least squares, shrunk to their true spread: bench/fit_la_stand_in.py): men,
# O and W victims and midday collisions are older; women, H victims and nights younger. The noise has the
# residuals' spread per descent group (O victims' ages spread widest). As in the sample, the age group stays
# hard to predict from the other columns.
AGE_SCORE_BY_SEX = np.array([0.081, -0.122, 0.027])
AGE_SCORE_BY_DESCENT_GROUP = np.array([-0.124, 0.078, 0.148, 0.017, -0.024, 0.044, 0.032, -0.017])
AGE_SCORE_BY_HOUR = np.array([
    -0.102, -0.132, -0.105, -0.066, -0.127, 0.043, 0.119, 0.111, 0.093, -0.114, 0.116, 0.039, 0.050, 0.252, 0.204,
    0.066, 0.022, -0.082, -0.032, -0.111, -0.191, 0.021, -0.219, -0.192,
])  # fmt: skip
AGE_SCORE_BY_AREA = np.array([
    0.093, -0.034, 0.047, -0.038, 0.111, -0.114, -0.073, -0.008, 0.025, 0.069, 0.052, -0.002, -0.012, -0.018,
    -0.046, 0.067, -0.047, -0.027, -0.072, -0.009, 0.079,
])  # fmt: skip
AGE_SCORE_NOISE_BY_DESCENT_GROUP = np.array([0.915, 0.971, 1.076, 0.939, 0.911, 0.958, 0.922, 1.005])
AGE_MISSING = 0.15
# Share of unknown ages for M, F and X victims (none is known without a sex): the sample's rates, M and F
# scaled so that AGE_MISSING of all ages are unknown.
AGE_MISSING_BY_SEX = np.array([0.117, 0.068, 0.964])
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
    weekend = (occurred.astype(int) + 3) % 7 >= 5  # day 0, 1970-01-01, was a Thursday
    hour = _draw_given(rng, HOUR_BY_WEEKEND, weekend.astype(int))
    time = 100 * hour + _draw(rng, MINUTE_WEIGHTS, rows)

    premise = _draw(rng, [w for _, _, w in PREMISES], rows)
    premise[rng.random(rows) < PREMISE_MISSING] = -1
    premise_codes = np.array([code for code, _, _ in PREMISES])

    descent = _draw_given(rng, DESCENT_BY_AREA, area - 1)
    sex = _draw_given(rng, SEX_BY_DESCENT, descent)
    age = _ages(rng, sex, GROUP_OF_DESCENT[descent], hour, area)
    sex[rng.random(rows) < SEX_MISSING] = -1
    age[sex < 0] = np.nan  # no victim recorded, no age either
    descent[(sex < 0) | (rng.random(rows) < DESCENT_MISSING)] = -1

    # Each area has its own busiest streets: a Zipf-like rank, shifted by area.
    street = (area * 7 + np.minimum(rng.zipf(1.6, rows), 60)) % len(STREETS)
    cross = (street + rng.integers(1, len(STREETS), rows)) % len(STREETS)
    cross[rng.random(rows) < CROSS_STREET_MISSING] = -1

    missing_location = rng.random(rows) < LOCATION_MISSING
    centre, spread = AREA_CENTRES[area - 1], AREA_SPREADS[area - 1]
    latitude = np.round(np.clip(centre[:, 0] + spread[:, 0] * rng.standard_normal(rows), *LATITUDES), 4)
    longitude = np.round(np.clip(centre[:, 1] + spread[:, 1] * rng.standard_normal(rows), *LONGITUDES), 4)
    latitude[missing_location] = np.nan
    longitude[missing_location] = np.nan

    columns = {
        "DR Number": _int(_dr_numbers(rng, reported, area)),
        "Date Reported": pd.Series(reported, dtype=DATE_DTYPE),
        "Date Occurred": pd.Series(occurred, dtype=DATE_DTYPE),
        "Time Occurred": _int(time),
        "Hour Occurred": _int(hour),
        "Minute Occurred": _int(time % 100),
        "Area ID": _int(area),
        "Area Name": _text(list(AREA_NAMES.values()), area - 1),
        "Reporting District": _int(area * 100 + rng.integers(0, 100, rows)),
        "Crime Code": _int(np.full(rows, 997)),
        "Crime Code Description": _text(["TRAFFIC COLLISION"], np.zeros(rows, dtype=int)),
        "MO Codes": _mo_codes(rng, rows),
        "Victim Age": pd.Series(age),
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


def _draw_given(rng: np.random.Generator, table: np.ndarray, given: np.ndarray) -> np.ndarray:
    """Per row, an index 0..K-1 drawn with the relative weights table[given] (table: groups x K)."""
    cumulative = np.cumsum(table, axis=1) / table.sum(axis=1, keepdims=True)
    cumulative[:, -1] = 1.0
    # One sorted search for all groups: group g's cumulative weights are shifted to g..g+1.
    shifted = (cumulative + np.arange(len(table))[:, None]).ravel()
    picks = np.searchsorted(shifted, given + rng.random(len(given)), side="right") - given * table.shape[1]
    return np.minimum(picks, table.shape[1] - 1)


def _ages(rng: np.random.Generator, sex: np.ndarray, group: np.ndarray, hour: np.ndarray, area: np.ndarray):
    """Whole years (see _marginal_ages), unknown for AGE_MISSING_BY_SEX of each sex, the known ones ranked
    by a latent score that depends on the victim and the collision (the Gaussian copula above)."""
    known = rng.random(len(sex)) >= AGE_MISSING_BY_SEX[sex]
    score = AGE_SCORE_BY_SEX[sex] + AGE_SCORE_BY_DESCENT_GROUP[group] + AGE_SCORE_BY_HOUR[hour]
    score += AGE_SCORE_BY_AREA[area - 1] + AGE_SCORE_NOISE_BY_DESCENT_GROUP[group] * rng.standard_normal(len(sex))
    rank = np.argsort(score[known])
    ages = np.empty(int(known.sum()))
    ages[rank] = np.sort(_marginal_ages(rng, len(ages)))
    age = np.full(len(sex), np.nan)
    age[known] = ages
    return age


def _marginal_ages(rng: np.random.Generator, rows: int) -> np.ndarray:
    """Whole years 10..99, right-skewed (shifted gamma: mean ~41.4, std ~16.7, median ~38)."""
    age = np.floor(12.5 + rng.gamma(2.9, 10.4, rows))
    too_old = age > 99
    age[too_old] = rng.integers(10, 100, int(too_old.sum()))
    young = rng.random(rows) < 0.01  # a few young victims (cyclists, passengers)
    age[young] = rng.integers(10, 18, int(young.sum()))
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
