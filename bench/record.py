"""The one shape every benchmark reports in: a Target (what the issues ask for) and a Result (what was measured
against it), written by each script as one JSON line when it is given --json, and read back by bench/run_all.py."""

import json
import sys
from dataclasses import asdict, dataclass

# How a measured figure is held against its limit: "under 5 s" is strict, "at most 2x" and "at least 1.6x" are not.
# "" is a figure the issues ask to report without a limit (the GPU throughput): never met nor missed.
RECORD_ONLY = ""
COMPARISONS = {
    RECORD_ONLY: lambda measured, limit: None,
    "<": lambda measured, limit: measured < limit,
    "<=": lambda measured, limit: measured <= limit,
    ">=": lambda measured, limit: measured >= limit,
}


@dataclass(frozen=True)
class Target:
    """A performance target as an issue sets it: `measured <comparison> limit`, in `unit`."""

    id: str
    issue: int
    what: str
    comparison: str
    limit: float
    unit: str

    def __post_init__(self):
        if self.comparison not in COMPARISONS:
            raise ValueError(
                f"target {self.id}: comparison must be one of {sorted(COMPARISONS)}, not {self.comparison}"
            )

    @property
    def limit_text(self) -> str:
        if self.comparison == RECORD_ONLY:
            return "none (a figure to report)"
        unit = self.unit if self.unit in ("", "x") else f" {self.unit}"  # 2x, 0.93, 5 s
        return f"{self.comparison} {self.limit:g}{unit}"


@dataclass(frozen=True)
class Result:
    """What one benchmark found for one target. `measured` is None when it was not run or failed, and
    `status` then says so ("not run" or "failed") with the reason in `detail`."""

    target: Target
    measured: float | None
    detail: str = ""
    status: str = "measured"

    @property
    def met(self) -> bool | None:
        """True or False for a measured figure; None when nothing was measured or the target has no limit."""
        if self.status != "measured" or self.measured is None:
            return None
        return COMPARISONS[self.target.comparison](self.measured, self.target.limit)

    @property
    def ratio_to_limit(self) -> float | None:
        """measured / limit: how far over an upper limit (or under a lower one) the figure is."""
        if self.measured is None or self.target.comparison == RECORD_ONLY or self.target.limit == 0:
            return None
        return self.measured / self.target.limit

    def to_dict(self) -> dict:
        return {**asdict(self), "met": self.met}

    @classmethod
    def from_dict(cls, data: dict) -> "Result":
        target = Target(**data["target"])
        return cls(target, data.get("measured"), data.get("detail", ""), data.get("status", "measured"))


def not_run(target: Target, why: str) -> Result:
    return Result(target, None, why, status="not run")


def failed(target: Target, why: str) -> Result:
    return Result(target, None, why, status="failed")


def json_line(bench: str, results: list[Result]) -> str:
    return json.dumps({"bench": bench, "results": [r.to_dict() for r in results]})


def print_json_if_asked(bench: str, results: list[Result], argv: list[str] | None = None) -> None:
    """Print the results as the last line of output when the script was run with --json."""
    if "--json" in (sys.argv if argv is None else argv):
        print(json_line(bench, results), flush=True)


def parse_json_line(stdout: str) -> list[Result] | None:
    """The results of the last line of a script's output that is a JSON object with "results"; None when it
    printed none (the human-readable lines above it are not JSON, or not objects of that shape)."""
    for line in reversed(stdout.splitlines()):
        if not line.startswith("{"):
            continue
        try:
            payload = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(payload, dict) and "results" in payload:
            return [Result.from_dict(item) for item in payload["results"]]
    return None
