"""The first page draws quickly: what app.py and the Data page import at the top loads no machine-learning library
(torch, scikit-learn, XGBoost, SciPy, imbalanced-learn take seconds to import; they load when a page needs them)."""

import ast
import subprocess
import sys

from tests.conftest import REPO

HEAVY = ("torch", "sklearn", "xgboost", "scipy", "imblearn", "optuna")


def top_level_imports(script) -> list[str]:
    """The modules a page script imports at its top, as `import` statements to run elsewhere."""
    tree = ast.parse(script.read_text())
    return [ast.unparse(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]


def test_the_data_page_imports_no_machine_learning_library():
    lines = top_level_imports(REPO / "app.py") + top_level_imports(REPO / "app_pages" / "data.py")
    probe = "\n".join([*lines, "import sys", f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"])
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"imported at the Data page's start: {result.stdout.strip()}"
