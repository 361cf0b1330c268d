"""A stop from outside (SIGTERM, SIGHUP) unwinds a command like Ctrl-C: its cleanup runs.

Each test sends the process a real signal from inside the command, at the point where it holds
something temporary (the patched step is only where the signal comes from), and checks that
nothing temporary is left and the exit code is the one shells give the signal. A kill that runs
no cleanup (SIGKILL) is a real one, of a real export: the next export to the same file tidies up.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from generator.cli import main


def _stop_self(signum: int):
    def step(*args: object, **kwargs: object) -> None:
        os.kill(os.getpid(), signum)
        raise AssertionError("the stop did not end the command")  # pragma: no cover: reached only on failure

    return step


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["sigterm", "sighup"])
def test_a_stopped_export_leaves_no_temporary_workbook(tmp_path: Path, monkeypatch, capsys, signum) -> None:
    if signal.getsignal(signum) is signal.SIG_IGN:  # under nohup: kaohe leaves an ignored stop ignored
        pytest.skip(f"{signum.name} is ignored in this test run (started under nohup?): no stop to clean up after")
    monkeypatch.setattr("generator.commands.export.workbook", _stop_self(signum))
    target = tmp_path / "out.xlsx"
    code = main(["export", "--repo", str(ROOT), "--year", "2014", "-o", str(target)])
    assert code == 128 + signum  # 143 for SIGTERM, 129 for SIGHUP, as a shell reports them
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # neither the workbook nor its temporary file
    assert "中断" in capsys.readouterr().err


def test_a_stopped_import_leaves_no_staging_folder_in_the_repository(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr("generator.commands.import_.read_source", _stop_self(signal.SIGTERM))
    (tmp_path / "表.xlsx").write_bytes(b"not read: the stop comes first")
    code = main(["import", "framework", str(tmp_path / "表.xlsx"), "--id", "demo", "--repo", str(tmp_path)])
    assert code == 143
    assert sorted(p.name for p in tmp_path.iterdir()) == ["表.xlsx"]  # no .kaohe-import-* folder left


def test_handlers_are_put_back_and_an_ignored_stop_stays_ignored(tmp_path: Path, monkeypatch, capsys) -> None:
    seen: dict[int, object] = {}

    def look(*args: object, **kwargs: object) -> bytes:
        seen.update({s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)})
        return b"PK"

    monkeypatch.setattr("generator.commands.export.workbook", look)
    before_term = signal.getsignal(signal.SIGTERM)
    before_hup = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as under nohup
    try:
        assert main(["export", "--repo", str(ROOT), "--year", "2014", "-o", str(tmp_path / "o.xlsx")]) == 0
        assert seen[signal.SIGHUP] is signal.SIG_IGN  # nohup's choice is kept while the command runs
        assert seen[signal.SIGTERM] not in (signal.SIG_DFL, signal.SIG_IGN, before_term)  # a stop unwinds
        assert signal.getsignal(signal.SIGTERM) is before_term
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, before_hup)


def _dead_pid() -> int:
    """The id of a process that has ended (a child started and reaped)."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(child.stdout)


def test_an_export_killed_outright_leaves_a_file_the_next_export_removes(tmp_path: Path) -> None:
    """SIGKILL runs no cleanup: the temporary workbook stays until the next export to the same file."""
    target = tmp_path / "out.xlsx"
    argv = [sys.executable, "-m", "generator.cli", "export", "--repo", str(ROOT), "--year", "2010", "-o", str(target)]
    run = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".kaohe-*")) and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)  # the temporary file is made before the year is loaded (seconds of work)
    run.kill()
    run.wait()
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].startswith(f".kaohe-{run.pid}-out.xlsx."), left  # what a kill leaves
    assert main(["export", "--repo", str(ROOT), "--year", "2010", "-o", str(target)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_only_a_dead_run_s_temporary_file_of_the_same_target_is_removed(tmp_path: Path) -> None:
    dead, alive = _dead_pid(), os.getppid()  # pytest's parent is running for the whole test
    left = tmp_path / f".kaohe-{dead}-out.xlsx.abcd_123.xlsx.tmp"
    kept = {
        f".kaohe-{alive}-out.xlsx.abcd_123.xlsx.tmp": "a run still going",
        f".kaohe-{dead}-other.xlsx.abcd_123.xlsx.tmp": "another target's",
        f".kaohe-{dead}-out.xlsx.abcd_123.xlsx": "not the temporary suffix",
        f".kaohe-{dead}-out.xlsx.abcd_12.xlsx.tmp": "not a name kaohe makes (7 random characters)",
        f"kaohe-{dead}-out.xlsx.abcd_123.xlsx.tmp": "no leading dot",
    }
    left.write_bytes(b"half a workbook")
    for name in kept:
        (tmp_path / name).write_bytes(b"keep")
    (tmp_path / f".kaohe-{dead}-out.xlsx.linklink.xlsx.tmp").symlink_to(tmp_path / "elsewhere")
    assert main(["export", "--repo", str(ROOT), "--year", "2010", "-o", str(tmp_path / "out.xlsx")]) == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert left.name not in names
    assert set(kept) | {"out.xlsx", f".kaohe-{dead}-out.xlsx.linklink.xlsx.tmp"} == names


def test_a_workbook_whose_own_name_is_near_the_limit_is_written_and_tidied(tmp_path: Path) -> None:
    """A file name may be 255 bytes long. "考核结果" twenty times and ".xlsx" is 80 × 3 + 5 = 245
    bytes: a valid name, but the temporary file named after it (".kaohe-<pid>-" + the name + "." +
    8 random characters + ".xlsx.tmp", 13 + 245 + 18 = 276 bytes for a 5-digit pid) was not, and the
    export was refused as "文件名或路径太长". The name is cut to fit in the temporary file's name:
    255 − 7 (".kaohe-") − 10 (a pid's digits at most) − 2 ("-" and ".") − 8 − 9 (".xlsx.tmp") = 219
    bytes, 73 of its characters; a dead run's file of that name is still tidied away."""
    name = "考核结果" * 20 + ".xlsx"
    assert len(name.encode()) == 245
    left = tmp_path / f".kaohe-{_dead_pid()}-{name[:73]}.abcd_123.xlsx.tmp"
    left.write_bytes(b"half a workbook")
    assert main(["export", "--repo", str(ROOT), "--year", "2010", "-o", str(tmp_path / name)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
