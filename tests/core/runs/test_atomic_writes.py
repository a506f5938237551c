"""Atomic writes (core/atomic.py, used for every run artifact): the umask, and what a killed writer leaves."""

import os
import signal
import stat
import subprocess
import sys
import time

import pytest

from core import atomic
from core.paths import REPO_ROOT
from core.runs import artifacts

# A writer that writes half of history.csv into its temp file, says so, and hangs there until killed.
HALF_WRITER = """
import sys, time
from pathlib import Path
from core.atomic import write_atomic

def write(tmp):
    with open(tmp, "w") as out:
        out.write("epoch,loss\\n1,0.9\\n2,")
        out.flush()
        print(tmp, flush=True)
        time.sleep(60)

write_atomic(Path(sys.argv[1]), write)
"""


@pytest.fixture
def umask():
    previous = os.umask(0o022)
    yield os.umask
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_files_are_written_with_the_umask(tmp_path, umask):
    umask(0o022)
    assert mode(artifacts.write_text(tmp_path, "report.html", "<p>")) == 0o644
    assert mode(atomic.write_bytes_atomic(tmp_path / "pack.zip", b"PK")) == 0o644
    umask(0o077)
    assert mode(artifacts.write_json(tmp_path, "metrics.json", {"acc": 1})) == 0o600


def start_half_writer(target):
    writer = subprocess.Popen(
        [sys.executable, "-c", HALF_WRITER, str(target)], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True
    )
    return writer, writer.stdout.readline().strip()


def test_a_writer_killed_mid_write_leaves_the_old_file_and_its_litter_is_removed(tmp_path):
    target = tmp_path / "history.csv"
    target.write_text("epoch,loss\n1,0.9\n")
    writer, tmp_name = start_half_writer(target)
    temp = tmp_path / os.path.basename(tmp_name)
    assert temp.name.startswith(f".history.csv.{writer.pid}-") and temp.name.endswith(".part")
    assert atomic.remove_leftovers(tmp_path, min_age_seconds=0) == []  # a live writer's file is locked
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    writer.stdout.close()
    assert target.read_text() == "epoch,loss\n1,0.9\n"  # nothing half-written where readers look
    assert [p.name for p in artifacts.list_artifacts(tmp_path)] == ["history.csv"]
    assert temp.read_text() == "epoch,loss\n1,0.9\n2,"  # the litter, until the next writer
    artifacts.write_text(tmp_path, "history.csv", "epoch,loss\n1,0.9\n2,0.5\n")
    assert temp.exists()  # too fresh: a writer may be between creating and locking its file
    old = time.time() - atomic.LEFTOVER_MIN_AGE_SECONDS - 1
    os.utime(temp, (old, old))
    artifacts.write_text(tmp_path, "history.csv", "epoch,loss\n1,0.9\n2,0.5\n3,0.4\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.csv"]


def test_the_next_writer_leaves_a_live_writers_temp_file_alone(tmp_path):
    writer, tmp_name = start_half_writer(tmp_path / "model.joblib")
    try:
        temp = tmp_path / os.path.basename(tmp_name)
        old = time.time() - atomic.LEFTOVER_MIN_AGE_SECONDS - 1
        os.utime(temp, (old, old))  # a long write that has not touched its file for a while
        artifacts.write_text(tmp_path, "notes.txt", "x")
        assert temp.exists()
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()
    assert atomic.remove_leftovers(tmp_path, min_age_seconds=0) == [temp]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_failed_write_leaves_no_temp_file(tmp_path):
    def fail(tmp):
        tmp.write_text("half")
        raise RuntimeError("disk went away")

    with pytest.raises(RuntimeError, match="disk went away"):
        atomic.write_atomic(tmp_path / "a.txt", fail)
    assert list(tmp_path.iterdir()) == []
