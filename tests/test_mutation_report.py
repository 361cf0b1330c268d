"""tools/mutation_report.py: the per-file table of docs/testing.md, and no survivor left unexplained."""

from __future__ import annotations

import importlib.util
import json
import tomllib
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parent.parent / "tools" / "mutation_report.py"


@pytest.fixture
def mutation_report(monkeypatch, tmp_path):
    spec = importlib.util.spec_from_file_location("mutation_report", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    explained = tmp_path / "survivors.toml"
    explained.write_text('"generator.x.x_f__mutmut_2" = "equivalent: the reason"\n', encoding="utf-8")
    monkeypatch.setattr(module, "EXPLAINED", explained)
    return module


def meta(root: Path, path: str, codes: dict[str, int | None]) -> None:
    target = root / "mutants" / (path + ".meta")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"exit_code_by_key": codes}), encoding="utf-8")


def test_scores_count_killed_and_timed_out_over_the_mutants_run(mutation_report, tmp_path):
    # 6 mutants: 2 killed (exit 1 and 3), 1 timed out (24), 1 survived, 1 without tests (33), 1 not run
    # → run 5; score (2 + 1) / 5 = 60.0 %
    meta(
        tmp_path,
        "generator/x.py",
        {
            "generator.x.x_f__mutmut_1": 1,
            "generator.x.x_f__mutmut_2": 0,
            "generator.x.x_f__mutmut_3": 3,
            "generator.x.x_f__mutmut_4": 24,
            "generator.x.x_f__mutmut_5": 33,
            "generator.x.x_f__mutmut_6": None,
        },
    )
    text, unexplained = mutation_report.report(tmp_path)
    assert "| generator/x.py | 6 | 5 | 2 | 1 | 1 | 1 | 60.0 % |" in text
    assert "| **all** | 6 | 5 | 2 | 1 | 1 | 1 | **60.0 %** |" in text
    assert "- `generator.x.x_f__mutmut_2`: equivalent: the reason\n" in text
    assert unexplained == 0


def test_a_survivor_without_an_explanation_is_flagged(mutation_report, tmp_path):
    meta(tmp_path, "generator/y.py", {"generator.y.x_g__mutmut_1": 0, "generator.y.x_g__mutmut_2": 1})
    text, unexplained = mutation_report.report(tmp_path)
    # 1 of 2 killed: 50.0 %; the survivor has no entry in the explanations
    assert "| generator/y.py | 2 | 2 | 1 | 0 | 1 | 0 | 50.0 % |" in text
    assert "- `generator.y.x_g__mutmut_1`: **not explained**" in text
    assert unexplained == 1


def test_every_documented_explanation_names_a_mutant_of_the_mutated_code():
    # a typo in an explanation's name would leave the real survivor flagged and the entry orphaned
    names = tomllib.loads(TOOL.with_name("mutation_survivors.toml").read_text(encoding="utf-8"))
    assert names, "the explanations file is empty"
    for name in names:
        assert name.startswith(("generator.score.", "generator.types.")), name
        assert "__mutmut_" in name, name
