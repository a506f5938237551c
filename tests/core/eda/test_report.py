"""The EDA report, through the CLI as a user runs it."""

import html as html_text
import json
import re

import pandas as pd
import pytest

from core.cli import main
from core.preprocess import DerivedTarget, PreprocessSpec
from tests.conftest import REAL_SAMPLE
from tests.test_cli import last_json, run_cli

needs_real_sample = pytest.mark.skipif(not REAL_SAMPLE.is_file(), reason=f"the real sample is not at {REAL_SAMPLE}")


def external_resources(html: str) -> list[str]:
    """Tags that would fetch something when the file opens: scripts, styles, fonts or images by URL."""
    return re.findall(r"<(?:script|link|img)[^>]+(?:src|href)=['\"]?(?:https?:)?//[^>]*>", html)


def test_tabular_report_is_one_offline_file(tmp_path):
    out = tmp_path / "la.html"
    result = last_json(
        run_cli("eda", "la-collisions", "--source", "synthetic", "--rows", "3000", "--out", str(out), "--json")
    )
    html = out.read_text(encoding="utf-8")
    assert result["synthetic"] is True and result["out"] == str(out)
    assert external_resources(html) == []
    assert "SYNTHETIC" in html and "Column profile" in html and "Alerts (" in html
    assert "Date Reported is on or after Date Occurred" in html  # the after-event leakage alert
    assert html.count("Plotly.newPlot") >= 8 and html.count("<script type='text/javascript'>") == 1


def test_spec_is_applied_before_profiling(tmp_path):
    spec = PreprocessSpec(derived_target=DerivedTarget("Victim Age", (0, 25, 60, 120), ("Youth", "Adults", "Seniors")))
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(spec.to_json())
    out = tmp_path / "groups.html"
    result = run_cli(
        "eda", "la-collisions", "--source", "synthetic", "--rows", "2000", "--spec", str(spec_file), "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "Victim Age group" in out.read_text(encoding="utf-8")


def test_image_report(tmp_path):
    out = tmp_path / "digits.html"
    assert run_cli("eda", "digits", "--out", str(out)).returncode == 0
    html = out.read_text(encoding="utf-8")
    assert "Mean image per class" in html and "2-D projection" in html and external_resources(html) == []


def test_bad_spec_exits_2_and_writes_nothing(tmp_path):
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps({"scaling": "logarithmic"}))
    out = tmp_path / "never.html"
    result = run_cli("eda", "iris", "--spec", str(spec_file), "--out", str(out))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "scaling" in result.stderr
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def alert_texts(html: str) -> list[str]:
    return [html_text.unescape(text) for text in re.findall(r"<div class='alert \w+'><b>(.*?)</b>", html)]


@needs_real_sample
def test_a_target_too_rare_to_split_still_explores(tmp_path):
    out = tmp_path / "sex.html"
    args = ("eda", "csv", "--path", str(REAL_SAMPLE), "--target", "Victim_Sex", "--out", str(out))
    result = run_cli(*args)  # the command of issue 14, which refused: class 'H' has 2 rows
    assert result.returncode == 0 and result.stderr == "", result.stderr
    alerts = alert_texts(out.read_text(encoding="utf-8"))
    assert "Victim_Sex has 1 class with fewer than 3 rows: 'H' (2 rows)" in alerts
    assert any(a.startswith("Victim_Age is missing in") for a in alerts)


@needs_real_sample
def test_the_real_sample_explores_with_every_column_as_its_target(tmp_path, capsys):
    for column in pd.read_csv(REAL_SAMPLE, nrows=0).columns:
        out = tmp_path / f"{column}.html"
        code = main(["eda", "csv", "--path", str(REAL_SAMPLE), "--target", column, "--out", str(out), "--json"])
        assert code == 0, (column, capsys.readouterr().err)
        html = out.read_text(encoding="utf-8")
        assert "Column profile" in html and html.count("Plotly.newPlot") >= 5, column
        assert all("nan" not in text.lower() for text in alert_texts(html)), column
        if column in ("longitud", "latitud", "DR Number"):  # quantities: a histogram, not a bar per number
            assert f"{column} is a quantity" in html and "explored as a quantity" in html
