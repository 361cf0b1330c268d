"""Time a site built on several runners: one shard's build, the join of many parts, the install per job.

A shard is one organization's year, built as CI builds it (`kaohe build --org O --year Y --site-dir
PART --no-cache`, see docs/ci/*-shards.yml); the join is `kaohe assemble PART… --site-dir SITE`.
Measured: the shard build of a bench repository (bench/gen.py; default `small`, a county bureau's
year), `kaohe build --list-shards`, and `kaohe assemble` of many parts: copies of one tiny shard
(the test fixture's year, a few dozen files: what each part costs beyond its files) and copies of
the measured shard (what each file costs). With `--wheels DIR` (made by `pip wheel -w DIR .`), also
a CI job's install: a fresh venv and `pip install --no-index --find-links DIR kaohe`. Then the
arithmetic for `--organizations` (default 3,000) over 20, 50 and 100 runners, from CPU seconds:
on a shared machine wall time moves with the load, and on a runner of its own a job's wall time is
about its CPU time (a shard renders on every core, so somewhat less).

    .venv/bin/python bench/shards.py small --runs 3 --tiny 300 3000 --copies 20 --wheels /tmp/wheels
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from run import BIN, ROOT, ensure_repo, run_once

KAOHE = str(BIN / "kaohe")


def timed(argv: list[str]) -> dict:
    result = run_once(argv, None)
    if result["code"] != 0:
        sys.exit(f"failed: {' '.join(argv)}\n{result['err']}")
    return result


def describe(label: str, runs: list[dict]) -> dict[str, float]:
    wall, cpu = statistics.median(r["wall"] for r in runs), statistics.median(r["cpu"] for r in runs)
    spread = ", ".join(f"{r['wall']:.2f}/{r['cpu']:.2f}" for r in runs)
    print(f"{label}: median {wall:.2f} s wall, {cpu:.2f} s CPU (runs wall/CPU: {spread})", flush=True)
    return {"wall": wall, "cpu": cpu}


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def only_shard(repo: Path) -> dict:
    listed = subprocess.run([KAOHE, "build", "--repo", str(repo), "--list-shards"], capture_output=True, check=True)
    shards = json.loads(listed.stdout)
    assert len(shards) == 1, shards
    return shards[0]


def build_shard(repo: Path, shard: dict, part: Path) -> dict:
    org, year = shard["org"], str(shard["year"])
    site = ["--site-dir", str(part), "--no-cache"]
    return timed([KAOHE, "build", "--repo", str(repo), "--org", org, "--year", year, *site])


def copies(part: Path, organization: str, count: int, into: Path) -> list[Path]:
    """`count` copies of a one-year part, each under its own organization (its folder and stamp renamed)."""
    parts = []
    for n in range(count):
        copy = into / f"p{n:05d}"
        shutil.copytree(part, copy)
        name = f"org-{n:05d}"
        (copy / organization).rename(copy / name)
        for stamp in (copy / name).glob("*/kaohe-version.json"):
            data = json.loads(stamp.read_text(encoding="utf-8"))
            data.update(organization=name, organization_name=f"组织{n:05d}")
            stamp.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        parts.append(copy)
    return parts


def assemble(repo: Path, parts: list[Path], site: Path) -> dict:
    shutil.rmtree(site, ignore_errors=True)
    return timed([KAOHE, "assemble", "--repo", str(repo), *map(str, parts), "--site-dir", str(site)])


def files_in(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def install(wheels: Path, work: Path, runs: int) -> dict[str, float]:
    results = []
    for n in range(runs):
        venv = work / f"venv{n}"
        started = timed([sys.executable, "-m", "venv", str(venv)])
        pip = timed([str(venv / "bin/pip"), "install", "-q", "--no-index", "--find-links", str(wheels), "kaohe"])
        results.append({"wall": started["wall"] + pip["wall"], "cpu": started["cpu"] + pip["cpu"]})
        shutil.rmtree(venv)
    return describe("install (venv + pip install from a local wheel folder)", results)


def arithmetic(organizations: int, shard: float, overhead: float, assembly: float) -> None:
    print(f"\n{organizations} organizations, one year each; shard {shard:.1f} s, per-job overhead {overhead:.1f} s,")
    print(f"assembly {assembly:.0f} s (list job and artifact transfer not counted)")
    print("| runners N | one job per shard: ⌈S/N⌉ × (overhead + shard) + assembly | N jobs of ⌈S/N⌉ shards each |")
    print("|---:|---:|---:|")
    for n in (20, 50, 100):
        waves = math.ceil(organizations / n)
        per_job = waves * (overhead + shard) + assembly
        buckets = overhead + waves * shard + assembly
        print(f"| {n} | {per_job / 60:.0f} min ({waves} × {overhead + shard:.0f} s) | {buckets / 60:.0f} min |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("size", nargs="?", default="small")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tiny", type=int, nargs="*", default=[300], help="numbers of tiny parts to assemble")
    parser.add_argument("--copies", type=int, default=20, help="copies of the measured shard to assemble")
    parser.add_argument("--wheels", type=Path, help="a folder of wheels (pip wheel -w DIR .): time the install")
    parser.add_argument("--organizations", type=int, default=3000)
    parser.add_argument("--runner-start", type=float, default=15.0, help="assumed: runner start and checkout, s")
    args = parser.parse_args(argv)
    print(f"load average at start: {load()}", flush=True)
    repo = ensure_repo(args.size, 7)
    with tempfile.TemporaryDirectory(prefix="kaohe-shards-") as tmp:
        work = Path(tmp)
        describe("kaohe build --list-shards", [timed([KAOHE, "build", "--repo", str(repo), "--list-shards"])])
        shard = only_shard(repo)
        builds = [build_shard(repo, shard, work / f"shard{n}") for n in range(args.runs)]
        built = describe(f"shard build ({args.size}: kaohe build --org {shard['org']} --year {shard['year']})", builds)
        part = work / "shard0"
        per_shard_files = files_in(part)
        print(f"one {args.size} shard: {per_shard_files} files", flush=True)

        mini = work / "mini"
        shutil.copytree(ROOT / "tests/fixtures/mini", mini)
        tiny_part = work / "tiny"
        tiny_shard = only_shard(mini)
        build_shard(mini, tiny_shard, tiny_part)
        print(f"tiny shard: {files_in(tiny_part)} files", flush=True)
        per_part = 0.0
        for count in args.tiny:
            into = work / f"tiny-{count}"
            into.mkdir()
            parts = copies(tiny_part, tiny_shard["org"], count, into)
            result = describe(f"assemble {count} tiny parts", [assemble(mini, parts, work / "site")])
            per_part = result["cpu"] / count
            shutil.rmtree(into)
        into = work / "copies"
        into.mkdir()
        parts = copies(part, shard["org"], args.copies, into)
        joined = describe(f"assemble {args.copies} {args.size} parts", [assemble(mini, parts, work / "site")])
        per_file = joined["cpu"] / (args.copies * per_shard_files)
        assembly = args.organizations * max(per_part, per_file * per_shard_files)
        print(f"assembly of {args.organizations} {args.size} parts, linearly: {assembly:.0f} s", flush=True)
        overhead = args.runner_start  # the list job runs once, before the shards: not per job
        if args.wheels:
            overhead += install(args.wheels, work, args.runs)["cpu"]
        arithmetic(args.organizations, built["cpu"], overhead, assembly)
    print(f"load average at end: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
