"""The bench scripts import each other by file name (`python bench/x.py` puts bench/ first on the path); the tests
import them the same way."""

import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))
