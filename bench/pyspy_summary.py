"""Inclusive share of samples per function from a `py-spy record -f raw` file (collapsed stacks).

py-spy record -r 20 -f raw -o build.txt -- .venv/bin/kaohe build --repo bench/out/reference
.venv/bin/python bench/pyspy_summary.py build.txt 60
"""

from __future__ import annotations

import collections
import re
import sys

_FRAME = re.compile(r"(.*) \((.*?)(?::\d+)?\)$")


def summary(path: str, top: int) -> str:
    total = 0
    inclusive: collections.Counter[str] = collections.Counter()
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            n = int(count)
            total += n
            seen = set()
            for frame in stack.split(";"):
                match = _FRAME.match(frame)
                key = frame
                if match:
                    where = match.group(2).split("site-packages/")[-1].split("/work/main/")[-1]
                    key = f"{match.group(1)} ({where})"
                if key not in seen:  # a recursive function counts once per sample
                    seen.add(key)
                    inclusive[key] += n
    out = [f"total samples {total}"]
    out += [f"{100 * n / total:5.1f}%  {key}" for key, n in inclusive.most_common(top)]
    return "\n".join(out)


if __name__ == "__main__":
    print(summary(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 60))
