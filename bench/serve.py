"""How long a preview server takes to show an edit, on a generated repository.

Starts `kaohe serve` (or, with --mkdocs, `mkdocs serve` with the results site's configuration)
on bench/out/<size>/ and measures: the time from start until the first page is served; then for
each edit (an evidence file's body, a finding's reason, a framework indicator's wording) the time
from the write until the served page contains the new text (polled every 20 ms: what a browser
with live reload shows once its long poll returns), the server's CPU seconds over that span, and
its CPU seconds until it is idle again (the cross-file checks that follow an edit). Every file is
restored afterwards.

With `--starts N` the server is started N times, each measured until its first page and stopped
(the edits follow the last start): the first start parses every file into an empty cache folder
made for this run, the next ones start from the parsed files it kept (`.kaohe-cache/parsed/`).

    .venv/bin/python bench/serve.py reference --edits 5
    .venv/bin/python bench/serve.py reference --edits 1 --starts 3
    .venv/bin/python bench/serve.py reference --edits 2 --mkdocs
    .venv/bin/python bench/serve.py reference --edits 2 --starts 3 --rounds 2 --before /tmp/before

With `--before DIR` each round measures this checkout's kaohe, then the kaohe whose source is in
DIR (e.g. `git archive <commit> | tar -x -C DIR`), each with its own empty cache folder.

`--json` writes, for each measurement, the list of its values over the rounds: "first page" (the
start into an empty cache), "first page, warm start" (the others), the edits of each kind; with
`--before`, under "after" and "before".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

from run import BEFORE_MAIN, ensure_repo  # noqa: E402

CONFIG = """\
INHERIT: {package}/mkdocs.yml
docs_dir: {package}/static
plugins:
  - kaohe
  - search
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_for(url: str, text: str, deadline: float, every: float = 0.02) -> float | None:
    """Seconds until the page at `url` contains `text`, or None at the deadline."""
    start = time.monotonic()
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and text in page:
            return time.monotonic() - start
        time.sleep(every)
    return None


def shown_after_reload(base: str, url: str, text: str, epoch: int, deadline: float) -> tuple[float, int] | None:
    """What a browser showing `url` does under `kaohe serve`: wait for the next change (long poll), then
    load the page once; seconds until it holds `text`, and the epoch seen."""
    start = time.monotonic()
    origin = base.rsplit("/", 1)[0]
    while time.monotonic() < deadline:
        answer = fetch(f"{origin}/.kaohe/changes?since={epoch}")
        if answer is None:
            time.sleep(0.1)
            continue
        epoch = json.loads(answer)["epoch"]
        page = fetch(url)
        if page is not None and text in page:
            return time.monotonic() - start, epoch
    return None


def server_cpu(pid: int) -> float:
    """User + system seconds the server process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settle(pid: int, deadline: float, quiet: float = 0.05, window: float = 1.0) -> float:
    """Wait until the server has used less than `quiet` CPU seconds over `window` seconds (its checks
    after an edit are done), or the deadline; return its CPU seconds then."""
    used = server_cpu(pid)
    while time.monotonic() < deadline:
        time.sleep(window)
        now = server_cpu(pid)
        if now - used < quiet:
            return now
        used = now
    return used


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def edit(path: Path, old: str, new: str) -> None:
    """Write the edit the way an editor saves: a new file renamed over the old one."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    scratch = path.with_name(f".{path.name}.saving")
    scratch.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.replace(scratch, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("size", nargs="?", default="reference")
    parser.add_argument("--edits", type=int, default=5, help="edits of each kind")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for each change")
    parser.add_argument("--mkdocs", action="store_true", help="measure `mkdocs serve` instead of `kaohe serve`")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--starts", type=int, default=1, help="starts measured (the first with an empty cache)")
    parser.add_argument("--before", type=Path, help="also measure the kaohe whose source is in DIR, interleaved")
    parser.add_argument("--rounds", type=int, default=1, help="rounds (each measures this kaohe, then --before's)")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args(argv)
    if args.before and args.mkdocs:
        parser.error("--before compares two kaohe servers; --mkdocs measures mkdocs serve")
    repo = ensure_repo(args.size, args.seed)
    servers = [("after", None)] + ([("before", args.before.resolve())] if args.before else [])
    results: dict[str, dict[str, list[float]]] = {label: {} for label, _ in servers}
    for _ in range(args.rounds):
        for label, before in servers:
            measured = measure(repo, args, before)
            if measured is None:
                return 1
            for key, values in measured.items():
                results[label].setdefault(key, []).extend(values)
    name = "mkdocs serve" if args.mkdocs else "kaohe serve"
    for label, measured in results.items():
        summary = ", ".join(f"{k} median {statistics.median(v):.2f} s ({len(v)})" for k, v in measured.items() if v)
        print(f"{name} {label} ({args.size}, load {os.getloadavg()[0]:.1f}): {summary}")
    if args.json:
        args.json.write_text(json.dumps(results if args.before else results["after"], indent=2), encoding="utf-8")
    return 0


def measure(repo: Path, args: argparse.Namespace, before: Path | None) -> dict[str, list[float]] | None:
    """Start the server `args.starts` times, then edit each kind of file `args.edits` times; the
    seconds (and CPU seconds) of each, or None when a page was not shown in time. `before`: the
    source folder of another kaohe to run instead of this checkout's (`python -c` imports from its
    working folder first)."""
    port = free_port()
    env = {**os.environ}
    if args.mkdocs:
        package = ROOT / "generator" / "render"
        config = repo / "mkdocs.yml"
        config.write_text(CONFIG.format(package=package), encoding="utf-8")
        command = [str(BIN / "mkdocs"), "serve", "--livereload", "-f", str(config), "-a", f"127.0.0.1:{port}"]
        base = f"http://127.0.0.1:{port}"
    else:
        kaohe = [sys.executable, "-c", BEFORE_MAIN] if before else [str(BIN / "kaohe")]
        command = [*kaohe, "serve", "--repo", str(repo), "-a", f"127.0.0.1:{port}"]
        base = f"http://127.0.0.1:{port}/2020"
    year = repo / "evidence" / "2020"
    evidence = sorted(year.glob("u*/*.md"))[len(list(year.glob("u*/*.md"))) // 2]
    findings = sorted(year.glob("*/findings.toml"))[0]
    framework = next(f for f in sorted((repo / "frameworks").glob("*/*.toml")) if f.name != "framework.toml")
    originals = {p: p.read_bytes() for p in (evidence, findings, framework)}
    rest = evidence.relative_to(year).with_suffix(".html").as_posix()
    tool = "mkdocs" if args.mkdocs else "kaohe-before" if before else "kaohe"
    log = open(HERE / "out" / f"serve-{args.size}-{tool}.log", "a")  # noqa: SIM115 (every round's)
    cache = tempfile.mkdtemp(prefix="kaohe-bench-serve-")
    env["KAOHE_CACHE_DIR"] = os.path.join(cache, "cache")
    results: dict[str, list[float]] = {}
    server = None
    try:
        for start in range(1, args.starts + 1):
            if server is not None:
                stop(server)
            started = time.monotonic()
            server = subprocess.Popen(
                command, cwd=before or repo, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env
            )
            first = wait_for(f"{base}/evidence/{rest}", "<html", started + args.timeout, every=0.05)
            if first is None:
                print(f"no page within {args.timeout:.0f} s (see {log.name})")
                return None
            which = "first page" if start == 1 else "first page, warm start"
            seconds, cpu = time.monotonic() - started, server_cpu(server.pid)
            results.setdefault(which, []).append(seconds)
            results.setdefault(which + " CPU", []).append(cpu)
            print(f"{tool} start {start}: first page served {seconds:.2f} s after start ({cpu:.2f} s CPU)")
        results["idle after start CPU"] = [settle(server.pid, time.monotonic() + 60)]
        reason = re.search(r'^reason = "([^"\n]+)"', findings.read_text(encoding="utf-8"), re.MULTILINE)
        wording = re.search(r'^target = "([^"\n]+)"', framework.read_text(encoding="utf-8"), re.MULTILINE)
        assert reason and wording
        finding_unit = findings.parent.name
        kinds = [
            ("evidence edit", evidence, "\n", f"{base}/evidence/{rest}"),
            ("findings edit", findings, reason.group(1), f"{base}/units/{finding_unit}.html"),
            ("framework edit", framework, wording.group(1), f"{base}/framework.html"),
        ]
        epoch = 0
        if not args.mkdocs:
            answer = fetch(f"http://127.0.0.1:{port}/.kaohe/changes?since=-1")
            epoch = json.loads(answer)["epoch"] if answer else 0
        for name, path, anchor, url in kinds:
            times: list[float] = []
            cpu: list[float] = []
            settled: list[float] = []
            for n in range(args.edits):
                marker = f"改动标记{n}号{int(time.time() * 1000) % 100000}"
                if name == "evidence edit":
                    path.write_text(originals[path].decode("utf-8") + f"\n{marker}\n", encoding="utf-8")
                else:
                    path.write_bytes(originals[path])
                    edit(path, anchor, anchor + marker)
                used_before = server_cpu(server.pid)
                if args.mkdocs:
                    seconds = wait_for(url, marker, time.monotonic() + args.timeout)
                else:
                    shown = shown_after_reload(base, url, marker, epoch, time.monotonic() + args.timeout)
                    seconds, epoch = shown if shown else (None, epoch)
                if seconds is None:
                    print(f"{name} {n + 1}: not shown within {args.timeout:.0f} s")
                    return None
                used = server_cpu(server.pid) - used_before
                # the checks after the edit, before the next edit: each edit's CPU is its own
                done = settle(server.pid, time.monotonic() + 60) - used_before
                times.append(seconds)
                cpu.append(used)
                settled.append(done)
                print(
                    f"{tool} {name} {n + 1}: shown after {seconds:.2f} s ({used:.2f} s CPU of the server; "
                    f"{done:.2f} s with what followed, e.g. the checks)"
                )
            path.write_bytes(originals[path])
            time.sleep(1)
            settle(server.pid, time.monotonic() + 60)  # the restore is applied before the next kind's first edit
            if not args.mkdocs:
                answer = fetch(f"http://127.0.0.1:{port}/.kaohe/changes?since=-1")
                epoch = json.loads(answer)["epoch"] if answer else epoch
            results[name] = times
            results[f"{name} CPU"] = cpu
            results[f"{name} CPU until idle"] = settled
        return results
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
        if server is not None:
            stop(server)
        shutil.rmtree(cache, ignore_errors=True)
        log.close()
        if args.mkdocs:
            (repo / "mkdocs.yml").unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
