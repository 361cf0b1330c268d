"""What one very large evidence body costs a build: peak memory with it and without it.

Generates a small repository (bench/gen.py, fixed seed) under bench/out/memory-plain/, copies it
to bench/out/memory-big/ with one evidence file's body grown by a pasted log of --mb megabytes
(what a clerk pasting a day's system log would produce: short lines, no blank line, one
paragraph), and builds each with `kaohe build --no-cache`, one after the other. Reported per
build: wall and CPU seconds, the largest process's peak RSS (os.wait4's ru_maxrss) and the peak
PSS of the process tree (bench/run.py's sampling).

    .venv/bin/python bench/memory.py --mb 50 --json bench/results/memory-50mb.json
    .venv/bin/python bench/memory.py --mb 50 --before /tmp/before   # also the kaohe whose source is there
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen import SIZES, YEAR, generate  # noqa: E402
from run import BEFORE_MAIN, BIN, OUT, machine, run_once  # noqa: E402

LINE = "{year}-03-01 12:{m:02d}:{s:02d} INFO 巡检系统：第{n}号设备运行正常，温度 36.5 度，无告警。\n"


def pasted_log(megabytes: float) -> str:
    lines, size, n = [], 0, 0
    while size < megabytes * 1_000_000:
        line = LINE.format(year=YEAR, m=n // 60 % 60, s=n % 60, n=n)
        lines.append(line)
        size += len(line.encode("utf-8"))
        n += 1
    return "".join(lines)


def repositories(megabytes: float, seed: int) -> tuple[Path, Path]:
    plain, big = OUT / "memory-plain", OUT / "memory-big"
    for folder in (plain, big):
        if folder.exists():
            shutil.rmtree(folder)
    generate(SIZES["small"], plain, seed)
    shutil.copytree(plain, big)
    grown = sorted((big / "evidence" / str(YEAR)).glob("u*/*.md"))[0]
    with grown.open("a", encoding="utf-8") as f:
        f.write("\n" + pasted_log(megabytes))
    return plain, big


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=50, help="size of the pasted log in MB")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--before", type=Path, help="also build with the kaohe whose source is in DIR")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args(argv)
    plain, big = repositories(args.mb, args.seed)
    results = {}
    kaohes: list[tuple[str, list[str], Path | None]] = [("", [str(BIN / "kaohe"), "build", "--no-cache"], None)]
    if args.before:  # `python -c` imports from its working folder first: the other kaohe's code
        kaohes.append(("@before", [sys.executable, "-c", BEFORE_MAIN, "build"], args.before.resolve()))
    for label, build, cwd in kaohes:
        for name, repo in (("without", plain), ("with", big)):
            site = OUT / f"{repo.name}-site"
            env = {**os.environ, "KAOHE_CACHE_DIR": "off"}  # a kaohe with a page cache builds without it too
            run = run_once([*build, "--repo", str(repo), "--site-dir", str(site)], cwd, env)
            if run["code"] != 0:
                print(f"{name}{label}: exit {run['code']}: {run['err']}", file=sys.stderr)
                return 1
            results[name + label] = {k: run[k] for k in ("wall", "cpu", "rss", "tree")}
            print(
                f"{name + label:>14} a {args.mb:g} MB body: {run['wall']:6.1f} s wall {run['cpu']:6.1f} s CPU "
                f"{run['rss']:5.0f} MB RSS {run['tree']:5.0f} MB tree PSS",
                file=sys.stderr,
            )
    for label, _, _ in kaohes:
        extra = results["with" + label]["rss"] - results["without" + label]["rss"]
        print(f"the body costs {extra:.0f} MB of peak RSS ({extra / args.mb:.1f} × its size){label}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "mb": args.mb, "builds": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
