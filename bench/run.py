"""Time kaohe check, score and build against a plain MkDocs build of the same pages, per size.

For each size the synthetic repository is generated once (bench/gen.py, fixed seed) under
bench/out/<size>/, then each command runs --runs times, one after the other (never two at once),
in a child process. Reported per command: the median wall time, the spread, and the child's peak
resident memory (os.wait4's ru_maxrss). Then the ratios: kaohe build / MkDocs baseline, and
large / reference against the ratio of evidence counts.

`floor` is bench/floor.py: one process that reads every input file and parses its TOML with
tomllib, and nothing else (what any checker pays at least). Runs are interleaved (round by
round, each command once per round) so that the machine's load moves every command alike; each
run reports wall time, CPU time (user + system, of the process and its workers: steadier than
wall time on a shared machine) and memory: the largest process's peak RSS, and the peak of the
whole process tree's proportional set size (PSS, sampled every 0.1 s: a build's forked workers
share most of their pages, which RSS would count twice). check and score run with an empty cache
(cold) unless the command is `check-warm` (nothing changed since the previous run) or `check-edit`
(the same cache, after one evidence file's body changed: the outcome is not reused, the other
files' parsed front matter is); builds run
with the cache off (a clean build) unless named `build-warm` (the page cache of an earlier build,
nothing changed), `build-edit` (the same, after one evidence file's body changed) or `build-pull`
(the same, after the bodies of 1 % of the evidence files changed: what a `git pull` brings). With
`--before DIR` (e.g. `git archive main | tar -x -C DIR`), `COMMAND@before` runs that kaohe's code,
interleaved with this one's.

The baseline is `mkdocs build` of the evidence bodies (front matter removed) as plain markdown
pages with the site's theme settings (Material, language zh, no web fonts, a one-page nav), and no
plugin at all: what MkDocs costs for those pages anyway. `baseline-search` is the same with the
search plugin, to tell what the search index costs.

    .venv/bin/python bench/run.py small reference large --runs 3
    .venv/bin/python bench/run.py reference --only check score
    .venv/bin/python bench/run.py reference --runs 5 --only score-table score export
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

from gen import SIZES, VERSION, YEAR, generate  # noqa: E402

COMMANDS = (
    *("floor", "check", "check-warm", "check-edit", "score", "score-table", "export"),
    *("build", "build-warm", "build-edit", "build-pull", "baseline", "baseline-search"),
)

BASELINE_CONFIG = """\
site_name: baseline
docs_dir: docs
site_dir: site
use_directory_urls: false
theme:
  name: material
  language: zh
  font: false
  features:
    - navigation.top
nav:
  - index.md
plugins: []
markdown_extensions:
  - toc:
      permalink: true
      slugify: !!python/object/apply:pymdownx.slugs.slugify
        kwds:
          case: lower
  - tables
  - attr_list
validation:
  nav:
    omitted_files: ignore
  links:
    not_found: ignore
"""


@dataclass
class Measure:
    size: str
    command: str
    runs: list[float]
    peak_mb: float
    ok: bool
    note: str = ""
    cpu: list[float] | None = None  # user + system seconds of each run
    tree_mb: float = 0.0  # peak PSS of the whole process tree
    load: list[float] | None = None  # 1-minute load average at the start of each run

    @property
    def median(self) -> float:
        return statistics.median(self.runs) if self.runs else float("nan")

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")


def ensure_repo(size: str, seed: int) -> Path:
    """bench/out/<size>/, generated unless it was generated from the same size and seed."""
    repo = OUT / size
    stamp = repo / ".bench.json"
    wanted = {"size": asdict(SIZES[size]), "seed": seed, "version": VERSION}
    if stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        return repo
    started = time.monotonic()
    counts = generate(SIZES[size], repo, seed)
    stamp.write_text(json.dumps(wanted))
    print(
        f"generated {repo}: {counts['evidence']} evidence files, {counts['findings']} findings "
        f"in {time.monotonic() - started:.0f} s",
        file=sys.stderr,
    )
    return repo


def ensure_baseline(size: str, repo: Path) -> Path:
    """bench/out/<size>-baseline/: the same evidence bodies as plain MkDocs pages."""
    base = OUT / f"{size}-baseline"
    stamp = base / ".bench.json"
    source = (repo / ".bench.json").read_text()
    if stamp.is_file() and stamp.read_text() == source:
        return base
    if base.exists():
        shutil.rmtree(base)
    docs = base / "docs"
    evidence = repo / "evidence" / str(YEAR)
    pages = 0
    for path in sorted(evidence.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("+++\n"):
            text = text.split("\n+++\n", 1)[1]
        target = docs / "evidence" / path.relative_to(evidence)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        pages += 1
    (docs / "index.md").write_text(f"# 基准\n\n{pages} 个台账页面。\n", encoding="utf-8")
    (base / "mkdocs.yml").write_text(BASELINE_CONFIG, encoding="utf-8")
    # the same with the search plugin the results site uses (jieba segments Chinese when installed)
    searched = BASELINE_CONFIG.replace("plugins: []", "plugins:\n  - search")
    (base / "mkdocs-search.yml").write_text(
        searched.replace("site_dir: site", "site_dir: site-search"), encoding="utf-8"
    )
    stamp.write_text(source)
    return base


def command_line(
    command: str, repo: Path, baseline: Path | None, site: Path, cache: Path
) -> tuple[list[str], Path | None]:
    command, _, before = command.partition("@")
    if before:  # the same command of another kaohe (--before): its code, this environment's libraries
        argv, cwd = command_line(command, repo, baseline, site, cache)
        argv = [a for a in argv if a not in ("--no-cache", "--cache-dir", str(cache))]
        return [sys.executable, "-c", BEFORE_MAIN, *argv[1:]], cwd or Path(BEFORE)  # not this checkout's code
    kaohe = str(BIN / "kaohe")
    if command == "floor":
        return [sys.executable, str(HERE / "floor.py"), str(repo)], None
    if command in ("check", "check-warm", "check-edit"):
        return [kaohe, "check", "--repo", str(repo)], None
    if command == "score":
        return [kaohe, "score", "--repo", str(repo), "--format", "json"], None
    if command == "score-table":  # `kaohe score` as typed: the totals table
        return [kaohe, "score", "--repo", str(repo)], None
    if command == "export":  # the workbook: 汇总 and one score sheet per unit
        return [kaohe, "export", "--repo", str(repo), "-o", str(site.with_name(site.name + ".xlsx"))], None
    if command == "build":
        return [kaohe, "build", "--repo", str(repo), "--site-dir", str(site), "--no-cache"], None
    if command in WARM_BUILDS:
        return [kaohe, "build", "--repo", str(repo), "--site-dir", str(site), "--cache-dir", str(cache)], None
    assert baseline is not None
    config = "mkdocs.yml" if command == "baseline" else "mkdocs-search.yml"
    return [str(BIN / "mkdocs"), "build", "--quiet", "-f", str(baseline / config)], baseline


def _tree(pid: int) -> list[int]:
    """The process and its descendants, from /proc."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the summed PSS of a process tree every 0.1 s; `peak_mb` is the largest sum seen."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_mb, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            self.peak_mb = max(self.peak_mb, sum(_pss_kb(p) for p in _tree(self.pid)) / 1024)


def run_once(argv: list[str], cwd: Path | None, env: dict[str, str] | None = None) -> dict[str, float | int | str]:
    """Wall and CPU seconds, peak RSS and tree PSS in MB, and exit code of one run; stdout is discarded."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    memory = TreeMemory(proc.pid)
    memory.start()
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    memory.done.set()
    memory.join()
    return {
        "wall": elapsed,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss / 1024,
        "tree": memory.peak_mb,
        "code": os.waitstatus_to_exitcode(status),
        "err": err.decode("utf-8", "replace"),
    }


def measure(size: str, commands: list[str], runs: int, seed: int) -> list[Measure]:
    """Each command `runs` times, interleaved: round 1 runs every command once, then round 2, …"""
    repo = ensure_repo(size, seed)
    baseline = ensure_baseline(size, repo) if any(c.startswith("baseline") for c in commands) else None
    site = OUT / f"{size}-site"
    warm = OUT / f"{size}-cache"  # kept between runs: check-warm, build-warm
    results = {c: Measure(size, c, [], 0.0, True, cpu=[], load=[]) for c in commands}
    fill = []
    for variant in ("", "@before"):  # each kaohe compared fills its own warm caches: one check, one build
        ours = [c for c in commands if ("@" in c) == bool(variant)]
        fill += [c for c in ours if _warm_check(c)][:1] + [c for c in ours if _warm(c)][:1]
    for command in fill:  # fill the warm caches once, untimed
        cache = _warm_cache(command, warm)
        argv, cwd = command_line(command, repo, baseline, site, cache)
        subprocess.run(argv, cwd=cwd, env=_env(command, cache), capture_output=True, check=False)
    files = sorted((repo / "evidence" / str(YEAR)).glob("u*/*.md"))
    edits = {
        "build-edit": [files[SIZES[size].evidence // 2]],
        "check-edit": [files[SIZES[size].evidence // 2]],
        "build-pull": files[::100],  # 1 % of the evidence files, spread over every unit
    }
    originals = {path: path.read_bytes() for paths in edits.values() for path in paths}
    try:
        for n in range(runs):
            for command in commands:
                _run(
                    command,
                    n,
                    results[command],
                    repo,
                    baseline,
                    site,
                    warm,
                    edits.get(command.split("@")[0], []),
                    originals,
                )
    finally:
        for path, content in originals.items():
            path.write_bytes(content)
    return list(results.values())


def _run(
    command: str,
    n: int,
    m: Measure,
    repo: Path,
    baseline: Path | None,
    site: Path,
    warm: Path,
    edited: list[Path],
    originals: dict[Path, bytes],
) -> None:
    """Run `command` once into `m`; `build-edit` and `build-pull` first change the bodies of `edited` (untimed)."""
    size = m.size
    if m.ok:
        for path in edited:
            path.write_bytes(originals[path] + f"\n第{n + 1}次修改。\n".encode())
        with tempfile.TemporaryDirectory(prefix="kaohe-cold-cache-") as cold:
            cache = _warm_cache(command, warm) if _warm_check(command) or _warm(command) else Path(cold) / "cache"
            argv, cwd = command_line(command, repo, baseline, site, cache)
            load = os.getloadavg()[0]
            run = run_once(argv, cwd, _env(command, cache))
        if run["code"] != 0:
            m.ok = False
            err = str(run["err"]).strip()
            m.note = err.splitlines()[-1] if err else f"exit {run['code']}"
            print(f"{size} {command}: exit {run['code']}: {m.note}", file=sys.stderr)
            return
        m.runs.append(float(run["wall"]))
        assert m.cpu is not None and m.load is not None
        m.cpu.append(float(run["cpu"]))
        m.load.append(round(load, 1))
        m.peak_mb = max(m.peak_mb, float(run["rss"]))
        m.tree_mb = max(m.tree_mb, float(run["tree"]))
        print(
            f"{size:>9} {command:<10} run {n + 1}: {run['wall']:7.2f} s wall {run['cpu']:7.2f} s CPU "
            f"{run['rss']:6.0f} MB RSS {run['tree']:6.0f} MB tree PSS (load {load:.1f})",
            file=sys.stderr,
        )


#: Builds that run with the page cache of an earlier build (the others are clean builds).
WARM_BUILDS = ("build-warm", "build-edit", "build-pull")
#: Checks that run with the cache of an earlier check: nothing changed (its stored outcome holds),
#: or one evidence file's body changed (the parsed files of the others hold).
WARM_CHECKS = ("check-warm", "check-edit")


def _warm_check(command: str) -> bool:
    """A check run on the warm cache of the kaohe it runs (`check-warm@before` too: it ran cold)."""
    return command.split("@")[0] in WARM_CHECKS


def _warm(command: str) -> bool:
    """A build with the cache of an earlier build of the same kaohe (`build-edit@before` too)."""
    return command.split("@")[0] in WARM_BUILDS


def _warm_cache(command: str, warm: Path) -> Path:
    """The warm cache of the kaohe that runs `command`: each compared kaohe keeps its own."""
    return warm.with_name(warm.name + "-before") if "@" in command else warm


BEFORE_MAIN = "import sys; from generator.cli import main; sys.exit(main(sys.argv[1:]))"


def _env(command: str, cache: Path) -> dict[str, str]:
    """The environment of a run: kaohe's cache in `cache` (check, score: a fresh one is a cold cache);
    a command of the kaohe under comparison (`check@before`) imports that kaohe's code first."""
    env = {**os.environ, "KAOHE_CACHE_DIR": str(cache)}
    # as installed: Python keeps compiled modules (pip compiles a package's at install; a checkout
    # installed with -e writes them on first import). A machine that turns that off for everything
    # would otherwise charge every run for compiling kaohe's modules again (~0.25 s).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if "@" in command:
        env["PYTHONPATH"] = BEFORE
    return env


#: The folder of the kaohe to compare with (--before), e.g. `git archive main | tar -x -C /tmp/before`.
BEFORE = ""


def machine() -> dict[str, str]:
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for name in ("mkdocs", "mkdocs-material", "pydantic", "markdown-it-py", "nh3", "jieba"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "-"
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "ram": mem,
        "python": platform.python_version(),
        "os": platform.platform(),
        "commit": commit,
        **{k: v for k, v in versions.items()},
    }


def table(results: list[Measure]) -> str:
    by = {(m.size, m.command): m for m in results}
    sizes = list(dict.fromkeys(m.size for m in results))
    rows = [
        "| size | command | median s | min–max s | CPU s | peak RSS MB | tree PSS MB | ratio | load |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for size in sizes:
        for command in [c for c in COMMANDS for c in (c, f"{c}@before")]:
            m = by.get((size, command))
            if m is None:
                continue
            if not m.ok:
                rows.append(f"| {size} | {command} | failed | | | | {m.note} |")
                continue
            ratio = ""
            against = "baseline" if command.startswith("build") else "floor"
            if command == "check-warm" or command in WARM_BUILDS:
                against = command.split("-")[0]
            base = by.get((size, against))
            if command not in ("floor", "baseline", "baseline-search") and base is not None and base.ok and base.runs:
                ratio = f"{m.median / base.median:.2f} × {against}"
                if m.cpu and base.cpu:
                    ratio += f" ({m.cpu_median / base.cpu_median:.2f} CPU)"
            cpu = f"{m.cpu_median:.2f}" if m.cpu else ""
            load = f"{min(m.load)}–{max(m.load)}" if m.load else ""
            rows.append(
                f"| {size} | {command} | {m.median:.2f} | {min(m.runs):.2f}–{max(m.runs):.2f} | {cpu} | "
                f"{m.peak_mb:.0f} | {m.tree_mb:.0f} | {ratio} | {load} |"
            )
    if "reference" in sizes and "large" in sizes:
        rows += [
            "",
            "large / reference against the ratio of the work each command is proportional to (target ≤ 1.05 ×):",
            "",
            "| command | grows with | work ratio | target | time ratio | CPU ratio | met |",
            "|---|---|---:|---:|---:|---:|---|",
        ]
        for command in [c for c in COMMANDS for c in (c, f"{c}@before")]:
            a, b = by.get(("large", command)), by.get(("reference", command))
            if a and b and a.ok and b.ok:
                work = WORK.get(command.partition("@")[0], "evidence")
                expected = work_ratio(work)
                ratio = a.median / b.median
                cpu = f"{a.cpu_median / b.cpu_median:.2f}" if a.cpu and b.cpu else ""
                met = "yes" if ratio <= expected * 1.05 else "no"
                rows.append(
                    f"| {command} | {WORK_NAMES[work]} | {expected:.2f} | {expected * 1.05:.2f} | {ratio:.2f} | "
                    f"{cpu} | {met} |"
                )
    return "\n".join(rows)


#: What each command's work is proportional to: evidence files (reading, parsing, one page each) or
#: unit-indicator pairs (scoring; the score JSON has one object per pair).
WORK = {"score": "pairs"}
WORK_NAMES = {"evidence": "evidence files", "pairs": "unit-indicator pairs"}


def work_ratio(work: str) -> float:
    large, reference = SIZES["large"], SIZES["reference"]
    if work == "pairs":
        return (large.units * large.indicators) / (reference.units * reference.indicators)
    return large.evidence / reference.evidence


def report(paths: list[Path]) -> int:
    merged: dict[tuple[str, str], Measure] = {}
    for path in paths:
        saved = json.loads(path.read_text(encoding="utf-8"))
        print(f"{path.name}: " + ", ".join(f"{k} {v}" for k, v in saved["machine"].items()))
        for m in saved["results"]:
            m.pop("median", None)
            m.pop("cpu_median", None)
            merged[(m["size"], m["command"])] = Measure(**m)
    order = {s: n for n, s in enumerate(SIZES)}
    rank = {c: n for n, c in enumerate(c for c in COMMANDS for c in (c, f"{c}@before"))}
    print(table(sorted(merged.values(), key=lambda m: (order.get(m.size, 9), rank.get(m.command, 99)))))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", help=f"of {', '.join(SIZES)} (default: all three)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--only",
        nargs="+",
        choices=[*COMMANDS, *(f"{c}@before" for c in COMMANDS)],
        help="commands to time (default: floor check score build baseline)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--before",
        type=Path,
        metavar="DIR",
        help="also run check, score and build of the kaohe whose source is in DIR, interleaved (COMMAND@before)",
    )
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    parser.add_argument(
        "--report",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="run nothing: print one table from measurements saved with --json (later files win)",
    )
    args = parser.parse_args(argv)
    if args.report:
        return report(args.report)
    unknown = [s for s in args.sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]}: choose from {', '.join(SIZES)}")
    commands = list(args.only or ["floor", "check", "score", "build", "baseline"])
    if args.before:
        global BEFORE
        BEFORE = str(args.before.resolve())
        commands += [f"{c}@before" for c in commands if c in ("check", "score", "build")]
    results: list[Measure] = []
    for size in args.sizes or ["small", "reference", "large"]:
        results += measure(size, commands, args.runs, args.seed)
    info = machine()
    print("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    print(table(results))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": info,
                    "results": [{**asdict(m), "median": m.median, "cpu_median": m.cpu_median} for m in results],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    return 0 if all(m.ok for m in results) else 1


if __name__ == "__main__":
    sys.exit(main())
