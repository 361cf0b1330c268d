"""The installed command leaves at once when done (generator.quickexit), losing nothing a normal exit gives.

Each case runs a real Python process. Whether the quick exit happened is told by an object whose
``__del__`` writes a file: Python's own exit frees it (and the file appears), ``os._exit`` does not.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PROLOGUE = """
import atexit, sys, threading, time
from pathlib import Path
from generator.quickexit import leave
marks = Path(sys.argv[1])

class Freed:
    def __del__(self):
        (marks / "freed").write_text("freed")

kept = Freed()  # alive until the process ends
"""


def _run(body: str, tmp_path: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    script = PROLOGUE + body
    return subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, cwd=ROOT, **kwargs
    )


def test_leaves_without_freeing_but_runs_exit_handlers_and_flushes(tmp_path: Path) -> None:
    done = _run(
        """
atexit.register(lambda: print("handler ran"))
sys.stdout.write("x" * 100_000)  # more than a pipe's buffer: flushed before leaving
sys.stderr.write("said")
leave(3)
""",
        tmp_path,
    )
    assert done.returncode == 3
    assert done.stdout == "x" * 100_000 + "handler ran\n"
    assert done.stderr == "said"
    assert not (tmp_path / "freed").exists()  # the quick exit: nothing freed one by one


def test_waits_for_a_running_thread_as_python_does(tmp_path: Path) -> None:
    done = _run(
        """
def late():
    time.sleep(0.3)
    (marks / "thread").write_text("done")
threading.Thread(target=late).start()
leave(0)
""",
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "thread").read_text() == "done"  # the thread finished before the process ended
    assert (tmp_path / "freed").exists()  # Python's own exit


def test_a_stream_that_cannot_be_flushed_gets_pythons_own_exit(tmp_path: Path) -> None:
    done = _run("sys.stdout.close()\nleave(5)\n", tmp_path)
    assert done.returncode == 5
    assert (tmp_path / "freed").exists()


def test_the_installed_command_writes_all_of_a_long_output_and_its_code(mini: Path, tmp_path: Path) -> None:
    """`kaohe score --format json` through the console script's entry point, into a file: the whole
    JSON document arrives; `kaohe check` on a repository with a bad file exits 1."""
    entry = "import sys; from generator.cli import entry; sys.argv[0] = 'kaohe'; entry()"
    out = tmp_path / "score.json"
    with out.open("w") as handle:
        done = subprocess.run(
            [sys.executable, "-c", entry, "score", "--repo", str(mini), "--format", "json"],
            stdout=handle,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))  # complete: a cut document does not parse
    units = mini / "evidence" / "2010" / "units.toml"
    units.write_text("this is [not toml", encoding="utf-8")
    bad = subprocess.run([sys.executable, "-c", entry, "check", "--repo", str(mini)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "units.toml" in bad.stdout + bad.stderr


def test_without_cpythons_exit_handler_runner_python_exits_as_usual(tmp_path: Path) -> None:
    done = _run("del atexit._run_exitfuncs\natexit.register(lambda: print('handler ran'))\nleave(4)\n", tmp_path)
    assert done.returncode == 4
    assert done.stdout == "handler ran\n"  # run by Python's own exit
    assert (tmp_path / "freed").exists()
