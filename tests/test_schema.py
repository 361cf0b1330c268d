"""JSON Schemas: generated from the validator's models, committed, and never stale."""

from __future__ import annotations

import json
import tomllib

from generator.messages import tr
from generator.schemas import SCHEMAS, render_all, stale
from tests.conftest import ROOT

SCHEMA_DIR = ROOT / "docs" / "schemas"


def test_committed_schemas_are_current():
    names = stale(SCHEMA_DIR)
    assert names == [], f"docs/schemas/ is stale ({', '.join(names)}): run `kaohe schema` and commit"


def test_every_format_has_a_schema():
    assert (
        sorted(render_all())
        == sorted(SCHEMAS)
        == [
            "category.schema.json",
            "evidence.schema.json",
            "findings.schema.json",
            "framework.schema.json",
            "stages.schema.json",
            "units.schema.json",
        ]
    )


def test_schema_knows_rule_kinds_and_rejects_unknown_keys():
    category = json.loads(render_all()["category.schema.json"])
    text = json.dumps(category)
    for kind in ("checklist", "count", "threshold", "incident", "veto"):
        assert f'"{kind}"' in text
    assert category["properties"]["category"]["$ref"].endswith("CategoryHeader")
    assert category["additionalProperties"] is False
    framework = json.loads(render_all()["framework.schema.json"])
    assert "code_owners" in framework["properties"]


def test_check_option_reports_stale(tmp_path, kaohe):
    (tmp_path / "evidence").mkdir()
    assert kaohe("schema", "--repo", str(tmp_path), "--check").code == 1
    assert kaohe("schema", "--repo", str(tmp_path)).code == 0
    assert kaohe("schema", "--repo", str(tmp_path), "--check").code == 0
    assert sorted(p.name for p in (tmp_path / "docs/schemas").iterdir()) == sorted(SCHEMAS)


def test_taplo_config_points_at_committed_schemas():
    config = tomllib.loads((ROOT / ".taplo.toml").read_text(encoding="utf-8"))
    paths = {rule["schema"]["path"] for rule in config["rule"]}
    assert paths == {f"./docs/schemas/{name}" for name in SCHEMAS if name != "evidence.schema.json"}
    for path in paths:
        assert (ROOT / path).is_file()
        assert not path.startswith(("http:", "https:"))


def test_pre_commit_hooks_run_kaohe():
    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert hooks["kaohe-check"]["entry"] == "kaohe check"
    assert hooks["kaohe-check"]["pass_filenames"] is True
    import re

    files = re.compile(hooks["kaohe-check"]["files"])
    assert files.search("evidence/2010/xingren/df-01-2010-12-28-annual.md")
    assert files.search("frameworks/mini/01-dangfeng.toml")
    assert not files.search("generator/cli.py")
    assert hooks["kaohe-codeowners"]["entry"] == "kaohe codeowners --check"


def test_check_reports_stale_committed_schemas(mini, kaohe):
    from generator.schemas import check
    from generator.workspace import load_workspace

    assert kaohe("check", "--repo", str(mini)).code == 0  # no docs/schemas/: nothing to compare
    assert kaohe("schema", "--repo", str(mini)).code == 0
    assert kaohe("check", "--repo", str(mini)).code == 0
    path = mini / "docs/schemas/units.schema.json"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2] + " "  # an edit on line 3
    path.write_text("\n".join(lines), encoding="utf-8")
    (mini / "docs/schemas/findings.schema.json").unlink()
    ws = load_workspace(str(mini))
    check(ws.tree, ws.problems)
    found = sorted((p.code, p.path, p.line, p.severity) for p in ws.problems)
    assert found == [
        ("schema.missing", "docs/schemas/findings.schema.json", 1, "error"),
        ("schema.stale", "docs/schemas/units.schema.json", 3, "error"),
    ]
    run = kaohe("check", "--repo", str(mini))
    assert run.code == 1 and "docs/schemas/units.schema.json:3:1: " + tr("severity.error") in run.out


def test_schema_never_writes_through_a_committed_link(tmp_path, kaohe):
    """docs/schemas/<name> committed as a link out of the repository: `kaohe schema` refused
    nothing and overwrote the file the link names; now it refuses and leaves it as it was."""
    repo = tmp_path / "repo"
    (repo / "evidence").mkdir(parents=True)
    assert kaohe("schema", "--repo", str(repo)).code == 0
    outside = tmp_path / "outside.json"
    outside.write_text("not kaohe's\n", encoding="utf-8")
    name = sorted(SCHEMAS)[0]
    (repo / "docs/schemas" / name).unlink()
    (repo / "docs/schemas" / name).symlink_to(outside)
    run = kaohe("schema", "--repo", str(repo))
    assert run.code == 1, run.err
    assert outside.read_text(encoding="utf-8") == "not kaohe's\n"
    assert kaohe("schema", "--repo", str(repo), "--check").code == 1


def test_schema_refuses_a_linked_schemas_folder(tmp_path, kaohe):
    """docs/ a link to a folder outside the repository: no schema is written into it."""
    repo = tmp_path / "repo"
    (repo / "evidence").mkdir(parents=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (repo / "docs").symlink_to(outside, target_is_directory=True)
    run = kaohe("schema", "--repo", str(repo))
    assert run.code == 1, run.err
    assert list(outside.iterdir()) == []
