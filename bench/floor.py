"""The parse floor: read every input file of a repository and parse its TOML, and nothing else.

What any checker of these files must pay at least, in one process: walk frameworks/ and
evidence/, read each file, decode it as UTF-8, split an evidence file's `+++` front matter and
parse it (or a whole .toml file) with the standard library's tomllib. `kaohe check` and
`kaohe score` are measured against it (bench/run.py, command `floor`).

    .venv/bin/python bench/floor.py bench/out/reference
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Iterator


def input_files(root: str) -> Iterator[str]:
    """Every evidence and TOML file under root's frameworks/ and evidence/, in a stable order."""
    for top in ("frameworks", "evidence"):
        for folder, dirs, names in os.walk(os.path.join(root, top)):
            dirs.sort()
            for name in sorted(names):
                if name.endswith((".md", ".toml")):
                    yield os.path.join(folder, name)


def toml_text(path: str, text: str) -> str | None:
    """The TOML a file holds: a whole .toml file, or an evidence file's `+++` front matter."""
    if path.endswith(".toml"):
        return text
    return text[4:].partition("\n+++\n")[0] if text.startswith("+++\n") else None


def parse_all(root: str) -> tuple[int, int]:
    """(files, bytes) read and parsed under root's frameworks/ and evidence/."""
    files = size = 0
    for path in input_files(root):
        with open(path, "rb") as f:
            raw = f.read()
        toml = toml_text(path, raw.decode("utf-8"))
        if toml is not None:
            tomllib.loads(toml)
        files += 1
        size += len(raw)
    return files, size


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: floor.py REPOSITORY", file=sys.stderr)
        return 2
    files, size = parse_all(argv[0])
    print(f"{files} files, {size / 1e6:.1f} MB read and parsed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
