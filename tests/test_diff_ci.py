"""The CI examples: valid for the servers' own schemas, and running the commands the docs describe."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import ROOT

CI = ROOT / "docs" / "ci"


def test_gitlab_ci_runs_check_diff_and_build():
    config = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))
    assert config["variables"]["GIT_DEPTH"] == 0
    assert "kaohe check --format gitlab > gl-code-quality-report.json || status=$?" in config["check"]["script"]
    assert config["check"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert any(line.startswith("kaohe diff ") for line in config["score-diff"]["script"])
    assert "kaohe build" in config["site"]["script"]


def test_actions_workflow_runs_check_diff_and_build():
    workflow = yaml.safe_load((CI / "github-actions.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["check"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "kaohe check --format github" in runs and "kaohe diff " in runs and "kaohe build" in runs
    assert steps[0]["with"]["fetch-depth"] == 0


def _check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).parent / "check-jsonschema"
    return subprocess.run(
        [str(tool), "--builtin-schema", schema, str(path)], capture_output=True, text=True, timeout=120
    )


def test_examples_are_valid_for_the_servers_schemas():
    """check-jsonschema's vendored schemas of GitHub workflows and GitLab CI (no network)."""
    done = _check_jsonschema("vendor.github-workflows", CI / "github-actions.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    done = _check_jsonschema("vendor.gitlab-ci", CI / "gitlab-ci.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_itself_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  check:\n    steps: []\n", encoding="utf-8")  # no runs-on
    assert _check_jsonschema("vendor.github-workflows", broken).returncode == 1


def test_the_full_comparison_is_kept_and_kaohe_is_pinned():
    workflow = yaml.safe_load((CI / "github-actions.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["check"]["steps"]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact@"))
    assert "diff-full.md" in upload["with"]["path"]
    gitlab = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))
    assert "diff-full.md" in gitlab["score-diff"]["artifacts"]["paths"]
    for text in ((CI / "github-actions.yml").read_text(encoding="utf-8"), (CI / "gitlab-ci.yml").read_text("utf-8")):
        assert "pip install -q kaohe\n" not in text and "kaohe @ git+$KAOHE_GIT@$KAOHE_REF" in text
        assert "kaohe comment diff.md" in text and "post-comment" not in text
    assert len(workflow["env"]["KAOHE_REF"]) == 40 and len(gitlab["variables"]["KAOHE_REF"]) == 40
