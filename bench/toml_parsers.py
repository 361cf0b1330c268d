"""Parse every TOML text of a repository with the standard library's tomllib and with tomli: why
kaohe reads TOML with tomli.

The texts are what `kaohe check` parses: each evidence file's `+++` front matter and each whole
.toml file under frameworks/ and evidence/, read once into memory, so only parsing is timed (with
``parse_float=Decimal``, as kaohe parses). Prints the CPU seconds of each parser (median of three
rounds, alternating) and whether both gave the same values.

    .venv/bin/python bench/toml_parsers.py bench/out/reference
"""

from __future__ import annotations

import statistics
import sys
import time
import tomllib
from decimal import Decimal

import tomli
from floor import input_files, toml_text  # bench/ is the script's folder


def texts(root: str) -> list[str]:
    found = []
    for path in input_files(root):
        with open(path, encoding="utf-8") as f:
            toml = toml_text(path, f.read())
        if toml is not None:
            found.append(toml)
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: toml_parsers.py REPOSITORY", file=sys.stderr)
        return 2
    found = texts(argv[0])
    seconds: dict[str, list[float]] = {"tomllib": [], f"tomli {tomli.__version__}": []}
    for _ in range(3):
        for times, parser in zip(seconds.values(), (tomllib, tomli), strict=True):
            started = time.process_time()
            for text in found:
                parser.loads(text, parse_float=Decimal)
            times.append(time.process_time() - started)
    same = all(tomllib.loads(t, parse_float=Decimal) == tomli.loads(t, parse_float=Decimal) for t in found)
    for name, times in seconds.items():
        print(f"{name}: {statistics.median(times):.3f} s CPU for {len(found)} texts")
    print(f"same values: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
