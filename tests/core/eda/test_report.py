"""The EDA report, through the CLI as a user runs it."""

import json
import re

from core.preprocess import DerivedTarget, PreprocessSpec
from tests.test_cli import last_json, run_cli


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
