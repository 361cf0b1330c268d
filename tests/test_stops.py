"""A stop from outside (SIGTERM, SIGHUP) unwinds a command like Ctrl-C: its cleanup runs.

Each test sends the process a real signal from inside the command, at the point where it holds
something temporary (the patched step is only where the signal comes from), and checks that
nothing temporary is left and the exit code is the one shells give the signal.
"""

from __future__ import annotations

import os
import signal
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
