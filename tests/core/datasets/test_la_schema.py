import csv
import io

import numpy as np
import pandas as pd
import pytest

from core.datasets.la_schema import PARSED_COLUMNS, RAW_COLUMNS, SODA_TO_RAW, parse_raw, to_raw_frame
from core.datasets.la_synthetic import synthetic_collisions
from core.errors import DataError

# The header of the portal's export, spelled out here rather than taken from the module under test.
EXPORT_HEADER = [
    "DR Number", "Date Reported", "Date Occurred", "Time Occurred", "Area ID", "Area Name", "Reporting District",
    "Crime Code", "Crime Code Description", "MO Codes", "Victim Age", "Victim Sex", "Victim Descent",
    "Premise Code", "Premise Description", "Address", "Cross Street", "Location",
]  # fmt: skip
SODA_HEADER = [
    "dr_no", "date_rptd", "date_occ", "time_occ", "area", "area_name", "rpt_dist_no", "crm_cd", "crm_cd_desc",
    "mocodes", "vict_age", "vict_sex", "vict_descent", "premis_cd", "premis_desc", "location", "cross_street",
    "location_1",
]  # fmt: skip

# Messy rows as the export has them: padded street names, blanks, "(0.0, 0.0)", an impossible time.
EXPORT_ROWS = [
    ["190319651", "08/24/2019", "08/24/2019", "450", "3", "Southwest", "0356", "997", "TRAFFIC COLLISION",
     "3036 3004 3026 3101 4003", "22", "M", "H", "101", "STREET", "JEFFERSON                    BL",
     "NORMANDIE                    AV", "(34.0255, -118.3002)"],
    ["190319680", "08/30/2019 12:00:00 AM", "08/30/2019 12:00:00 AM", "2500", "3", "Southwest", "0355", "997",
     "TRAFFIC COLLISION", "", "", "", "", "", "", "JEFFERSON BL", "", "(0.0, 0.0)"],
    ["191920536", "12/31/2019", "12/29/2019", "0005", "19", " Mission ", "1958", "997", "TRAFFIC COLLISION",
     "0605", " 45 ", " F ", "  ", "abc", "PARKING LOT", "  WOODMAN AV ", "ROSCOE BL", "(34.2214, -118.4346)"],
    ["101200001", "1/2/2010", "13/45/2010", "1260", "12", "77th Street", "1201", "997", "TRAFFIC COLLISION",
     "3101", "unknown", "X", "X", "108", "PARKING LOT", "MANCHESTER AV", "", ""],
]  # fmt: skip

EXPECTED = [
    {"DR Number": 190319651, "Date Reported": "2019-08-24", "Date Occurred": "2019-08-24", "Time Occurred": 450,
     "Hour Occurred": 4, "Minute Occurred": 50, "Area ID": 3, "Area Name": "Southwest", "Reporting District": 356,
     "Crime Code": 997, "Crime Code Description": "TRAFFIC COLLISION", "MO Codes": "3036 3004 3026 3101 4003",
     "Victim Age": 22.0, "Victim Sex": "M", "Victim Descent": "H", "Premise Code": 101,
     "Premise Description": "STREET", "Address": "JEFFERSON BL", "Cross Street": "NORMANDIE AV",
     "Latitude": 34.0255, "Longitude": -118.3002},
    {"DR Number": 190319680, "Date Reported": "2019-08-30", "Date Occurred": "2019-08-30", "Time Occurred": None,
     "Hour Occurred": None, "Minute Occurred": None, "Area ID": 3, "Area Name": "Southwest",
     "Reporting District": 355, "Crime Code": 997, "Crime Code Description": "TRAFFIC COLLISION", "MO Codes": None,
     "Victim Age": None, "Victim Sex": None, "Victim Descent": None, "Premise Code": None,
     "Premise Description": None, "Address": "JEFFERSON BL", "Cross Street": None, "Latitude": None,
     "Longitude": None},
    {"DR Number": 191920536, "Date Reported": "2019-12-31", "Date Occurred": "2019-12-29", "Time Occurred": 5,
     "Hour Occurred": 0, "Minute Occurred": 5, "Area ID": 19, "Area Name": "Mission", "Reporting District": 1958,
     "Crime Code": 997, "Crime Code Description": "TRAFFIC COLLISION", "MO Codes": "0605", "Victim Age": 45.0,
     "Victim Sex": "F", "Victim Descent": None, "Premise Code": None, "Premise Description": "PARKING LOT",
     "Address": "WOODMAN AV", "Cross Street": "ROSCOE BL", "Latitude": 34.2214, "Longitude": -118.4346},
    {"DR Number": 101200001, "Date Reported": "2010-01-02", "Date Occurred": None, "Time Occurred": None,
     "Hour Occurred": None, "Minute Occurred": None, "Area ID": 12, "Area Name": "77th Street",
     "Reporting District": 1201, "Crime Code": 997, "Crime Code Description": "TRAFFIC COLLISION",
     "MO Codes": "3101", "Victim Age": None, "Victim Sex": "X", "Victim Descent": "X", "Premise Code": 108,
     "Premise Description": "PARKING LOT", "Address": "MANCHESTER AV", "Cross Street": None, "Latitude": None,
     "Longitude": None},
]  # fmt: skip

INT_COLUMNS = [
    "DR Number", "Time Occurred", "Hour Occurred", "Minute Occurred", "Area ID", "Reporting District",
    "Crime Code", "Premise Code",
]  # fmt: skip
TEXT_COLUMNS = [
    "Area Name", "Crime Code Description", "MO Codes", "Victim Sex", "Victim Descent", "Premise Description",
    "Address", "Cross Street",
]  # fmt: skip


def write_csv(header, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def read_raw(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])


def assert_rows(parsed: pd.DataFrame, expected: list[dict]) -> None:
    assert list(parsed.columns) == list(expected[0])
    assert len(parsed) == len(expected)
    for i, row in enumerate(expected):
        for column, want in row.items():
            got = parsed[column].iloc[i]
            if want is None:
                assert pd.isna(got), (i, column, got)
            elif column.startswith("Date"):
                assert got == pd.Timestamp(want), (i, column, got)
            else:
                assert got == want, (i, column, got)


def assert_schema(parsed: pd.DataFrame) -> None:
    for column in INT_COLUMNS:
        assert parsed[column].dtype == "Int64", column
    for column in ("Date Reported", "Date Occurred"):
        assert pd.api.types.is_datetime64_dtype(parsed[column]), column
    for column in ("Victim Age", "Latitude", "Longitude"):
        assert parsed[column].dtype == np.float64, column
    for column in TEXT_COLUMNS:
        assert pd.api.types.is_string_dtype(parsed[column]), column


def test_module_constants_match_the_published_schema():
    assert list(RAW_COLUMNS) == EXPORT_HEADER
    assert [SODA_TO_RAW[name] for name in SODA_HEADER] == EXPORT_HEADER
    assert SODA_TO_RAW["location"] == "Address" and SODA_TO_RAW["location_1"] == "Location"


def test_parses_the_messy_export_exactly():
    header = [" DR Number "] + EXPORT_HEADER[1:]  # stray whitespace in a header is tolerated
    parsed = parse_raw(read_raw(write_csv(header, EXPORT_ROWS)), "export.csv")
    assert_rows(parsed, EXPECTED)
    assert_schema(parsed)


def test_parses_the_api_field_names_iso_dates_and_other_point_formats():
    rows = [list(row) for row in EXPORT_ROWS]
    rows[0][1] = rows[0][2] = "2019-08-24T00:00:00.000"
    rows[0][17] = "POINT (-118.3002 34.0255)"  # WKT lists longitude first
    rows[2][17] = "{'latitude': '34.2214', 'longitude': '-118.4346', 'human_address': '{\"city\": \"\"}'}"
    rows[3][17] = '{"latitude": "0.0", "longitude": "0.0"}'
    extra = [[*row, "23448"] for row in rows]  # the API adds computed region columns
    parsed = parse_raw(read_raw(write_csv([*SODA_HEADER, ":@computed_region_qz3q_ghft"], extra)), "api")
    assert_rows(parsed, EXPECTED)
    assert_schema(parsed)


def test_parses_typed_input_like_a_parquet_copy():
    typed = read_raw(write_csv(EXPORT_HEADER, EXPORT_ROWS[:1]))
    typed["DR Number"] = [190319651]
    typed["Victim Age"] = [22.0]
    typed["Time Occurred"] = [450]
    assert_rows(parse_raw(typed, "typed"), EXPECTED[:1])


def test_missing_columns_are_named():
    raw = read_raw(write_csv(EXPORT_HEADER, EXPORT_ROWS)).drop(columns=["Victim Age", "Location"])
    with pytest.raises(DataError) as caught:
        parse_raw(raw, "mystery.csv")
    assert str(caught.value) == "mystery.csv: not the LA collision schema: missing columns Victim Age, Location"


def test_to_raw_frame_writes_the_export_format():
    raw = to_raw_frame(parse_raw(read_raw(write_csv(EXPORT_HEADER, EXPORT_ROWS)), "export.csv"))
    assert list(raw.columns) == EXPORT_HEADER
    assert raw.iloc[0].tolist() == [
        "190319651", "08/24/2019", "08/24/2019", "450", "3", "Southwest", "0356", "997", "TRAFFIC COLLISION",
        "3036 3004 3026 3101 4003", "22", "M", "H", "101", "STREET", "JEFFERSON BL", "NORMANDIE AV",
        "(34.0255, -118.3002)",
    ]  # fmt: skip
    assert raw["Location"].iloc[1] == "(0.0, 0.0)"
    assert raw["Victim Age"].isna().iloc[1] and raw["Time Occurred"].isna().iloc[1]


def test_round_trip_synthetic_through_the_export_csv(tmp_path):
    synthetic = synthetic_collisions(400, seed=11)
    path = tmp_path / "export.csv"
    to_raw_frame(synthetic).to_csv(path, index=False)
    parsed = parse_raw(pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""]), str(path))
    assert list(parsed.columns) == list(PARSED_COLUMNS)
    pd.testing.assert_frame_equal(parsed, synthetic)
