"""How long `mkdocs serve` takes to show a changed evidence file, on a generated repository.

Starts `mkdocs serve` with the results site's configuration (the kaohe plugin and search) on
bench/out/<size>/, waits for the first build, then edits one evidence file's body several times
and measures, each time, from the write to the moment the served page contains the new text.

    .venv/bin/python bench/serve.py reference --edits 3
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

from run import ensure_repo  # noqa: E402

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
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_for(url: str, text: str, deadline: float) -> float | None:
    """Seconds until the page at `url` contains `text` (polled every 0.1 s), or None at the deadline."""
    start = time.monotonic()
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and text in page:
            return time.monotonic() - start
        time.sleep(0.1)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("size", nargs="?", default="reference")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for each build")
    parser.add_argument("--dirty", action="store_true", help="pass --dirty to mkdocs serve")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    repo = ensure_repo(args.size, args.seed)
    package = ROOT / "generator" / "render"
    config = repo / "mkdocs.yml"
    config.write_text(CONFIG.format(package=package), encoding="utf-8")
    files = sorted((repo / "evidence").rglob("*.md"))
    evidence = files[len(files) // 2]
    rest = evidence.relative_to(repo / "evidence").with_suffix(".html").as_posix().split("/", 1)[1]  # u…/i….html
    port = free_port()
    url = f"http://127.0.0.1:{port}/evidence/{rest}"
    argv_serve = [str(BIN / "mkdocs"), "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"]
    if args.dirty:
        argv_serve.append("--dirty")
    log = open(HERE / "out" / f"serve-{args.size}.log", "w")  # noqa: SIM115
    started = time.monotonic()
    server = subprocess.Popen(argv_serve, cwd=repo, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    original = evidence.read_text(encoding="utf-8")
    try:
        first = wait_for(url, "<html", started + args.timeout)
        if first is None:
            print(f"the first build did not finish within {args.timeout:.0f} s (see {log.name})")
            return 1
        print(f"first build served after {time.monotonic() - started:.1f} s: {url}")
        latencies = []
        for n in range(args.edits):
            marker = f"改动标记{n}号{int(time.time())}"
            evidence.write_text(original + f"\n{marker}\n", encoding="utf-8")
            seconds = wait_for(url, marker, time.monotonic() + args.timeout)
            if seconds is None:
                print(f"edit {n + 1}: not shown within {args.timeout:.0f} s")
                return 1
            latencies.append(seconds)
            print(f"edit {n + 1}: shown after {seconds:.1f} s")
            time.sleep(2)
        print(
            f"change to visible: median {statistics.median(latencies):.1f} s over {len(latencies)} edits "
            f"({args.size}, {'--dirty' if args.dirty else 'full rebuild'})"
        )
        return 0
    finally:
        evidence.write_text(original, encoding="utf-8")
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
        config.unlink()


if __name__ == "__main__":
    sys.exit(main())
