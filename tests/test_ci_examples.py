"""What a bureau copies from docs/ci/ and the hook examples runs as written.

The servers' schemas are checked elsewhere (test_diff_ci.py, test_shards.py); these tests read the
shell the examples run: every `kaohe` command line is one kaohe's own parser accepts, and what the
shell does with it (a failure that stops the job, the history a command needs) is what the job needs.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import build_parser
from tests.conftest import ROOT

CI = ROOT / "docs" / "ci"
EXAMPLES = sorted(CI.glob("*.yml"))

#: What ends a command in the shell, what sends its output elsewhere, and what a command follows.
PUNCTUATION = "();<>|&\n"
KEYWORDS = ("do", "then", "else", "!")
#: Sample values for what the scripts take from CI (`$YEAR` is an int to `--year`).
VARIABLES = {"ORG": "qianxinan-qts", "org": "qianxinan-qts", "YEAR": "2010", "year": "2010"}


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _shell_texts(config: dict) -> list[str]:
    """Every piece of shell the file runs: GitHub's `run:` steps, GitLab's `script:` lists."""
    texts: list[str] = []
    for job in (config.get("jobs") or {}).values():
        texts += [step["run"] for step in job.get("steps", []) if "run" in step]
    for job in config.values():
        if isinstance(job, dict):
            for key in ("before_script", "script"):
                texts += job.get(key) or []
    return texts


def _expand(text: str) -> str:
    """CI's own substitutions first (`${{ … }}`), then the shell's `$NAME` from VARIABLES."""
    text = re.sub(r"\$\{\{\s*github\.sha\s*\}\}", "0" * 40, text)
    text = re.sub(r"\$\{\{[^}]*\}\}", "main", text)
    return re.sub(r"\$\{?(\w+)\}?", lambda m: VARIABLES.get(m[1], "x"), text)


def _ends(word: str) -> bool:
    """A run of the shell's punctuation ends a command: `;`, `&&`, `)` and a newline, `>`, `>>`."""
    return bool(word) and set(word) <= set(PUNCTUATION)


def kaohe_command_lines(text: str) -> list[list[str]]:
    """The arguments of every `kaohe …` in a piece of shell, inside `$(…)` too."""
    found = []
    for piece in [text, *re.findall(r"\$\((kaohe [^)]*)\)", text)]:
        lexer = shlex.shlex(_expand(piece.replace("\\\n", " ")), posix=True, punctuation_chars=PUNCTUATION)
        lexer.whitespace, lexer.whitespace_split = " \t\r", True
        words = list(lexer)
        for start in (
            n
            for n, w in enumerate(words)
            if w == "kaohe" and (n == 0 or _ends(words[n - 1]) or words[n - 1] in KEYWORDS)
        ):
            end = next((n for n in range(start, len(words)) if _ends(words[n])), len(words))
            found.append(words[start + 1 : end])
    return found


def test_the_command_finder_reads_redirections_and_substitutions():
    text = (
        'echo "shards=$(kaohe build --list-shards)" >> "$GITHUB_OUTPUT"\nkaohe check --format gitlab > r.json || s=$?'
    )
    assert kaohe_command_lines(text) == [["check", "--format", "gitlab"], ["build", "--list-shards"]]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_kaohe_command_line_parses(path):
    lines = [line for text in _shell_texts(_load(path)) for line in kaohe_command_lines(text)]
    assert lines, f"{path.name} runs no kaohe command"
    parser = build_parser()
    for argv in lines:
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # argparse's way of refusing
            raise AssertionError(f"{path.name}: kaohe {shlex.join(argv)} does not parse") from exc
        assert args.command, argv


@pytest.mark.parametrize("path", sorted(CI.glob("gitlab-ci*.yml")), ids=lambda p: p.name)
def test_the_gitlab_image_has_git(path):
    """`pip install "kaohe @ git+…"` runs git, and kaohe reads the history with it: the slim and
    alpine variants of the python image ship no git (docker-library/python#319), the full one does."""
    image = _load(path)["default"]["image"]
    name = image if isinstance(image, str) else image["name"]
    assert re.fullmatch(r"python:[\d.]+", name.split()[0]), f"{path.name}: {name} has no git"


def _gitlab_if(expression: str, env: dict[str, str]) -> bool:
    """GitLab's `rules: if:` for what the examples write: `$VAR`, "text", ==, !=, &&, ||."""

    def value(term: str) -> str | None:
        term = term.strip()
        return env.get(term[1:]) if term.startswith("$") else term.strip("\"'")

    def atom(text: str) -> bool:
        for operator, wanted in (("!=", False), ("==", True)):
            if operator in text:
                left, right = text.split(operator)
                return (value(left) == value(right)) is wanted
        return bool(value(text))

    return any(all(atom(a) for a in part.split("&&")) for part in expression.split("||"))


def _first_rule(rules: list[dict], env: dict[str, str]) -> bool:
    """The first rule whose `if` holds decides (`when: never` excludes); none that holds excludes."""
    for rule in rules:
        if "if" not in rule or _gitlab_if(rule["if"], env):
            return rule.get("when", "on_success") != "never"
    return False


def gitlab_pipeline(config: dict, env: dict[str, str]) -> set[str] | None:
    """The jobs of the pipeline GitLab creates for an event, None for no pipeline. A job without
    `rules` runs where the workflow lets a pipeline run when the file has `workflow: rules`; without
    them it gets GitLab's default `only: [branches, tags]`, which leaves it out of merge request
    pipelines (gitlab-org/gitlab#34756). A pipeline without a job is not created."""
    workflow = (config.get("workflow") or {}).get("rules")
    if workflow is not None and not _first_rule(workflow, env):
        return None
    merge_request = env.get("CI_PIPELINE_SOURCE") == "merge_request_event"
    jobs = {
        name
        for name, job in config.items()
        if isinstance(job, dict) and "script" in job and not name.startswith(".")
        if (_first_rule(job["rules"], env) if "rules" in job else workflow is not None or not merge_request)
    }
    return jobs or None


def test_the_pipeline_model_reads_gitlabs_default_for_jobs_without_rules():
    config = {"a": {"script": ["true"]}, "b": {"script": ["true"], "rules": [{"if": '$X == "1"'}]}}
    assert gitlab_pipeline(config, {"CI_PIPELINE_SOURCE": "merge_request_event", "X": "1"}) == {"b"}
    assert gitlab_pipeline(config, {"CI_PIPELINE_SOURCE": "push", "X": "2"}) == {"a"}
    config["workflow"] = {"rules": [{"if": '$X != "3"'}]}
    assert gitlab_pipeline(config, {"CI_PIPELINE_SOURCE": "merge_request_event", "X": "1"}) == {"a", "b"}
    assert gitlab_pipeline(config, {"CI_PIPELINE_SOURCE": "push", "X": "3"}) is None


def test_a_merge_request_gets_one_pipeline_with_the_check_and_the_comment():
    """The merge request shows its latest pipeline: Code Quality annotations only reach it when
    `check` runs there, and a push to a branch with an open merge request makes one pipeline, not two."""
    config = _load(CI / "gitlab-ci.yml")
    main = {"CI_DEFAULT_BRANCH": "main"}
    push = {**main, "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "xingren/df-01"}
    merge_request = {**main, "CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_IID": "7"}
    # a branch with an open merge request: the merge request pipeline only
    assert gitlab_pipeline(config, {**push, "CI_OPEN_MERGE_REQUESTS": "kaohe/data!7"}) is None
    assert gitlab_pipeline(config, merge_request) == {"check", "score-diff"}
    # a branch before its merge request is opened, and main
    assert gitlab_pipeline(config, push) == {"check"}
    assert gitlab_pipeline(config, {**push, "CI_COMMIT_BRANCH": "main"}) == {"check", "site"}


def test_the_shard_jobs_fit_into_gitlab_ci_yml():
    """gitlab-ci-shards.yml says: add its jobs to .gitlab-ci.yml in place of the `site` job, and
    its `stages` line. GitLab refuses a file whose job names a stage the `stages` list lacks."""
    pipeline, shards = _load(CI / "gitlab-ci.yml"), _load(CI / "gitlab-ci-shards.yml")
    jobs = {name: job for name, job in shards.items() if isinstance(job, dict) and "script" in job}
    merged = {**{k: v for k, v in pipeline.items() if k != "site"}, **jobs, "stages": shards["stages"]}
    for name, job in merged.items():
        if isinstance(job, dict) and "script" in job:
            assert job.get("stage", "test") in merged["stages"], f"{name}: stage {job.get('stage')}"
    for need in jobs["site"]["needs"]:
        assert merged["stages"].index(merged[need["job"]]["stage"]) < merged["stages"].index(jobs["site"]["stage"])
    main = {"CI_DEFAULT_BRANCH": "main", "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main"}
    assert gitlab_pipeline(merged, main) == {"check", "shard", "site"}
    assert "in place of its `site` job, and its `stages` line" in (CI / "gitlab-ci-shards.yml").read_text("utf-8")


#: Commands that read the repository's history: late filing, and final years built from their commit
#: (published.toml names it; a shallow clone lacks it and kaohe stops: "未知的版本").
NEEDS_HISTORY = ("build", "diff", "score", "publish")


@pytest.mark.parametrize("path", sorted(CI.glob("github-actions*.yml")), ids=lambda p: p.name)
def test_every_github_job_that_builds_or_compares_fetches_the_history(path):
    for name, job in _load(path)["jobs"].items():
        commands = [c for s in job["steps"] if "run" in s for c in kaohe_command_lines(s["run"])]
        if any(c[0] in NEEDS_HISTORY for c in commands):
            checkout = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/checkout@"))
            assert (checkout.get("with") or {}).get("fetch-depth") == 0, f"{path.name}: job {name}"


def _steps_that_run_kaohe(path: Path) -> list[tuple[str, str]]:
    """(name, shell) of every step or job running kaohe, with the options the server runs it with:
    GitHub's default shell is `bash -e {0}`, GitLab's runner runs a job's script under `set -eo pipefail`."""
    config = _load(path)
    found = []
    for name, job in (config.get("jobs") or {}).items():
        for step in job["steps"]:
            if kaohe_command_lines(step.get("run", "")):
                found.append((f"{name}: {step.get('name', step['run'])}", step["run"]))
    for name, job in config.items():
        if isinstance(job, dict) and any(kaohe_command_lines(line) for line in job.get("script", [])):
            found.append((name, "set -eo pipefail\n" + "\n".join(job["script"])))
    return [(name, re.sub(r"\$\{\{[^}]*\}\}", "main", shell)) for name, shell in found]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_a_failing_kaohe_fails_its_step(path, tmp_path):
    """A kaohe that exits 1 (a broken repository, a refused build) must fail the step that runs it:
    a command substitution inside `echo "…$(kaohe …)"` would hand `echo`'s success to the shell."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "kaohe").write_text("#!/bin/sh\necho 'kaohe: 错误' >&2\nexit 1\n", encoding="utf-8")
    (bin_dir / "kaohe").chmod(0o755)
    files = {k: tmp_path / k.lower() for k in ("GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_STEP_SUMMARY")}
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "RUNNER_TEMP": str(tmp_path)}
    env |= {k: str(v) for k, v in files.items()} | {"CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "2"}
    steps = _steps_that_run_kaohe(path)
    assert steps
    for name, shell in steps:
        work = tmp_path / "work"
        work.mkdir(exist_ok=True)
        done = subprocess.run(
            ["bash", "-e", "-c", shell], cwd=work, env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode != 0, f"{path.name}, {name}: kaohe failed, the step did not"


def _yaml_blocks(markdown: Path) -> list[str]:
    return re.findall(r"```ya?ml\n(.*?)```", markdown.read_text(encoding="utf-8"), re.S)


def test_the_hook_configurations_in_the_docs_are_valid_for_pre_commit(tmp_path):
    blocks = [b for b in _yaml_blocks(ROOT / "docs" / "workflow.md") if b.startswith("repos:")]
    assert len(blocks) == 2
    for n, block in enumerate(blocks):
        config = tmp_path / f"config-{n}.yaml"
        config.write_text(block, encoding="utf-8")
        tool = Path(sys.executable).parent / "pre-commit"
        done = subprocess.run([str(tool), "validate-config", str(config)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_local_hook_runs_kaohe_check_as_the_shipped_hook_does():
    """`kaohe check PATHS…` reads the whole repository and reports every problem when a framework
    file is among PATHS: pre-commit, left to split the files over the cores, runs several at once
    and prints a problem once per process that got a framework file (seen: every line twice)."""
    shipped = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    blocks = [yaml.safe_load(b) for b in _yaml_blocks(ROOT / "docs" / "workflow.md") if b.startswith("repos:")]
    local = next(r for b in blocks for r in b["repos"] if r["repo"] == "local")
    defaults = {"entry": None, "files": "", "require_serial": False, "pass_filenames": True}  # pre-commit's
    for hook in local["hooks"]:
        for key, default in defaults.items():
            assert hook.get(key, default) == shipped[hook["id"]].get(key, default), f"{hook['id']}: {key}"


@pytest.mark.parametrize("path", sorted(CI.glob("github-actions*.yml")), ids=lambda p: p.name)
def test_no_expression_is_pasted_into_github_shell(path):
    """`${{ … }}` in `run:` is pasted into the script before the shell reads it: a branch named
    `x$(…)` would run as a command. The values reach the shell as environment variables instead
    (GitHub's "Security hardening for GitHub Actions")."""
    for name, job in _load(path)["jobs"].items():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), f"{path.name}: job {name}, step {step.get('name')}"
