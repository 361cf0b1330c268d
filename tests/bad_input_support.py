"""What the bad-input tests share: the base repository, a case laid over it, and `kaohe check`'s
report read back (tests/test_bad_inputs.py, tests/test_hostile_input.py)."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from generator.messages import freeze, msg
from generator.problems import Problem

HERE = Path(__file__).resolve().parent / "bad_inputs"
BASE = HERE / "base"
CASES = HERE / "cases"

#: A problem line as the text format prints it, in Chinese (the default): `path:line:col: 错误：message`.
PROBLEM = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>错误|警告)：(?P<message>.*)$")
SEVERITIES = {"错误": "error", "警告": "warning"}


@dataclass(frozen=True)
class Reported:
    path: str
    line: int
    severity: str
    message: str
    code: str = ""


def repo_with(tmp_path: Path, case: str | None = None) -> Path:
    """A copy of the base repository, with a case's files laid over it."""
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    if case is not None:
        shutil.copytree(CASES / case, root, dirs_exist_ok=True)
    return root


def check(kaohe, root: Path, *args: str) -> tuple[int, list[Reported]]:
    """Run `kaohe check` and read its report; fail on anything that looks like a crash.

    The report is read as JSON, for each problem's code and parameters, and each problem is read back
    from the line the text format prints for it (`Problem.format`, what `kaohe check` writes), which
    must be one `path:line:col` problem line whatever a path or parameter holds.
    """
    run = kaohe("check", "--repo", str(root), "--format", "json", *args)
    assert run.code in (0, 1), f"exit {run.code}\n{run.out}\n{run.err}"
    assert "internal error" not in run.err and "Traceback" not in run.out + run.err, run.err
    reported = []
    for item in json.loads(run.out):
        params = tuple((k, freeze(_message(v))) for k, v in item["params"].items())
        problem = Problem(item["path"], item["line"], item["col"], item["code"], params, item["severity"])
        assert (problem.message, problem.hint) == (item["message"], item["hint"])  # the JSON's words are the text's
        text = problem.format()
        match = PROBLEM.match(text)
        assert match, f"not a path:line:col problem line: {text!r}"
        severity = SEVERITIES[match["severity"]]
        reported.append(Reported(match["path"], int(match["line"]), severity, match["message"], item["code"]))
    return run.code, reported


def _message(value):
    """A parameter read back from the JSON: a sub-message ({code, params}) becomes a message again."""
    if isinstance(value, dict) and set(value) == {"code", "params"}:
        return msg(value["code"], **{k: _message(v) for k, v in value["params"].items()})
    return value


def assert_exactly(reported: list[Reported], expected: list[tuple[str, int, str]], severity: str = "error") -> None:
    """Exactly the expected (path, line, code) problems are reported at that severity: none missing, none extra."""
    got = sorted((r.path, r.line, r.code) for r in reported if r.severity == severity)
    assert got == sorted(expected), "\n".join(map(str, got))


U_A = "evidence/2010/unit-a"
U_B = "evidence/2010/unit-b"
FINDINGS = f"{U_A}/findings.toml"  # in the base: its `date` is on line 5
MEETING = f"{U_B}/df-01-meeting.md"  # in the base: its `date` is on line 3
