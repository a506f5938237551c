"""The reference studies, reproduced by name: the registry (registry, catalogue), the figures and how ours are
measured (figures), the side-by-side table (side_by_side), and running one (runner, exercises)."""

from core.reproduce.figures import Figure, RunView
from core.reproduce.registry import STUDIES, Reproduction, get_reproduction, list_reproductions
from core.reproduce.side_by_side import side_by_side, view_of

__all__ = [
    "STUDIES",
    "Figure",
    "Reproduction",
    "RunView",
    "get_reproduction",
    "list_reproductions",
    "side_by_side",
    "view_of",
]
