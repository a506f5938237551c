"""Every target is measured by exactly one benchmark, and every script in bench/ is either run or said why not."""

from pathlib import Path

from catalog import BENCHES, BY_NAME
from targets import TARGETS

BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"


def test_every_target_has_exactly_one_benchmark():
    measured_by = [target_id for bench in BENCHES for target_id in bench.targets]
    assert sorted(measured_by) == sorted(TARGETS)


def test_every_script_in_bench_is_in_the_catalog():
    scripts = {path.name for path in BENCH_DIR.glob("bench_*.py")} | {"fit_la_stand_in.py"}
    assert scripts == {bench.script for bench in BENCHES}
    assert len(BY_NAME) == len(BENCHES)


def test_each_run_script_exists_and_prints_json_when_asked():
    for bench in BENCHES:
        text = (BENCH_DIR / bench.script).read_text()
        if bench.skip:
            continue
        assert "print_json_if_asked(" in text, bench.script
        for target_id in bench.targets:
            assert f'"{target_id}"' in text, (bench.script, target_id)


def test_skipped_scripts_say_why():
    assert all(bench.targets == () for bench in BENCHES if bench.skip)
    assert all(bench.skip or bench.targets for bench in BENCHES)
