"""One-at-a-time mutation of the lines changed since a commit, for code mutmut does not mutate
(it is set to generator/score/ and generator/types.py) or changes too small for a mutmut run.

usage: mutate_changed.py list FILE            -- the mutants of FILE's lines changed since MUT_BASE
       mutate_changed.py run FILE TESTS...    -- each mutant against TESTS (pytest -x -q), one at a time
       mutate_changed.py apply FILE N         -- write mutant N into the run copy (to check a new test)
       mutate_changed.py restore FILE

Mutants are written into MUT_RUN, a copy of the repository (`git archive HEAD | tar -x -C DIR`), and
the tests run there with PYTHONPATH=MUT_RUN and no bytecode written; the original file is read from
this repository (MUT_SRC). Results go to MUT_LOG (one JSON line a mutant). docs/testing.md.
Operators: < <=, > >=, == !=, in/not in, is/is not flipped; and/or swapped; `not` removed and
added (if/elif/while/ternary/comprehension tests); int constants +1 and -1; True/False swapped;
a returned value replaced by None (and "" / 0 where the function returns str / int); a simple
statement replaced by `pass`; for a regex constant (re.compile), each alternative dropped.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

SRC = Path(os.environ.get("MUT_SRC", Path(__file__).resolve().parents[1]))
RUN = Path(os.environ.get("MUT_RUN", "/tmp/kaohe-mutants"))
BASE = os.environ.get("MUT_BASE", "97578c2")
TIMEOUT = int(os.environ.get("MUT_TIMEOUT", "150"))
PY = sys.executable

FLIP = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


def changed_lines(rel: str) -> set[int]:
    out = subprocess.run(
        ["git", "-C", str(SRC), "diff", "-U0", f"{BASE}..HEAD", "--", rel], capture_output=True, text=True, check=True
    ).stdout
    lines: set[int] = set()
    for m in re.finditer(r"^@@ -\S+ \+(\d+)(?:,(\d+))? @@", out, re.M):
        start, count = int(m.group(1)), int(m.group(2) or 1)
        lines.update(range(start, start + count))
    return lines


def top_alternatives(pattern: str) -> list[str]:
    """A regex's alternatives at the top level (not those inside a group)."""
    alts, depth, cur, esc = [], 0, "", False
    for ch in pattern:
        if esc:
            cur, esc = cur + ch, False
            continue
        if ch == "\\":
            esc = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            alts.append(cur)
            cur = ""
            continue
        cur += ch
    return [*alts, cur]


def offsets(text: str) -> list[int]:
    starts, pos = [0], 0
    for line in text.splitlines(keepends=True):
        pos += len(line.encode())
        starts.append(pos)
    return starts


class Finder:
    def __init__(self, text: str, lines: set[int]):
        self.text, self.lines = text, lines
        self.raw = text.encode()
        self.starts = offsets(text)
        self.mutants: list[dict] = []
        self.tree = ast.parse(text)
        for parent in ast.walk(self.tree):
            for child in ast.iter_child_nodes(parent):
                child.parent = parent  # type: ignore[attr-defined]

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (
            self.starts[node.lineno - 1] + node.col_offset,
            self.starts[node.end_lineno - 1] + node.end_col_offset,
        )

    def add(self, node: ast.AST, new: str, what: str) -> None:
        a, b = self.span(node)
        old = self.raw[a:b].decode()
        self.mutants.append(
            {
                "line": node.lineno,
                "a": a,
                "b": b,
                "new": new,
                "what": f"{what}: {old[:70]!r} -> {new[:70]!r}",
                "func": self.func_of(node),
            }
        )

    def func_of(self, node: ast.AST) -> str:
        names = []
        n = node
        while hasattr(n, "parent"):
            n = n.parent
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.append(n.name)
        return ".".join(reversed(names)) or "<module>"

    def in_fstring(self, node: ast.AST) -> bool:
        n = node
        while hasattr(n, "parent"):
            n = n.parent
            if isinstance(n, ast.JoinedStr):
                return True
        return False

    def expr(self, node: ast.expr) -> str:
        return "(" + ast.unparse(node) + ")"

    def run(self) -> list[dict]:
        for node in ast.walk(self.tree):
            if not hasattr(node, "lineno") or node.lineno not in self.lines or self.in_fstring(node):
                continue
            self.visit(node)
        self.mutants.sort(key=lambda m: (m["a"], m["what"]))
        return self.mutants

    def returns(self, node: ast.AST) -> str:
        n = node
        while hasattr(n, "parent"):
            n = n.parent
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return ast.unparse(n.returns) if n.returns else ""
        return ""

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.Compare):
            for k, op in enumerate(node.ops):
                if type(op) in FLIP:
                    new = ast.Compare(node.left, list(node.ops), node.comparators)
                    new.ops[k] = FLIP[type(op)]()
                    self.add(node, self.expr(new), "compare")
        elif isinstance(node, ast.BoolOp):
            other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            self.add(node, self.expr(ast.BoolOp(other, node.values)), "and/or")
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self.add(node, self.expr(node.operand), "not removed")
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool):
                self.add(node, str(not node.value), "True/False")
            elif isinstance(node.value, int):
                self.add(node, str(node.value + 1), "+1")
                self.add(node, str(node.value - 1), "-1")
            elif isinstance(node.value, str) and isinstance(getattr(node, "parent", None), ast.Call):
                call = node.parent
                if ast.unparse(call.func) == "re.compile" and node is call.args[0]:
                    alts = top_alternatives(node.value)
                    for k in range(len(alts)):
                        rest = "|".join(alts[:k] + alts[k + 1 :])
                        self.add(node, repr(rest), f"regex alternative {k} dropped")
        if isinstance(node, (ast.If, ast.While, ast.IfExp)):
            self.add(node.test, "(not " + self.expr(node.test) + ")", "not added")
        if isinstance(node, ast.comprehension):
            for cond in node.ifs:
                self.add(cond, "(not " + self.expr(cond) + ")", "not added")
        returned = isinstance(node, ast.Return) and node.value is not None
        if returned and not (isinstance(node.value, ast.Constant) and node.value.value is None):
            self.add(node.value, "None", "return None")
            ret = self.returns(node)
            if ret == "str":
                self.add(node.value, '""', 'return ""')
            elif ret == "int":
                self.add(node.value, "0", "return 0")
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Raise, ast.Return)):
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                return  # a docstring
            if isinstance(node.parent, (ast.Module, ast.ClassDef)):  # type: ignore[attr-defined]
                return  # a module or class constant: not a line of a function
            self.add(node, "pass", "line deleted")


def mutants(rel: str) -> list[dict]:
    text = (SRC / rel).read_text()
    return Finder(text, changed_lines(rel)).run()


def write(rel: str, m: dict | None) -> None:
    raw = (SRC / rel).read_bytes()
    if m is not None:
        raw = raw[: m["a"]] + m["new"].encode() + raw[m["b"] :]
    (RUN / rel).write_bytes(raw)
    if m is not None:
        compile(raw, rel, "exec")


def main() -> int:
    cmd, rel = sys.argv[1], sys.argv[2]
    ms = mutants(rel)
    if cmd == "list":
        for n, m in enumerate(ms):
            print(f"{n:3d} L{m['line']} {m['func']} {m['what']}")
        return 0
    if cmd == "apply":
        m = ms[int(sys.argv[3])]
        write(rel, m)
        print(m["what"])
        return 0
    if cmd == "restore":
        write(rel, None)
        return 0
    tests = sys.argv[3:]
    only = os.environ.get("MUT_ONLY")
    picked = [int(x) for x in only.split(",")] if only else range(len(ms))
    env = dict(os.environ, PYTHONPATH=str(RUN), PYTHONDONTWRITEBYTECODE="1")
    log = Path(os.environ.get("MUT_LOG", f"/tmp/mutants-{rel.replace('/', '_')}.jsonl"))
    try:
        for n in picked:
            m = ms[n]
            try:
                write(rel, m)
            except SyntaxError as e:
                print(f"{n:3d} SYNTAX {e} {m['what']}", flush=True)
                continue
            t = time.time()
            try:
                p = subprocess.run(
                    ["nice", "-n", "10", PY, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                    cwd=RUN,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=TIMEOUT,
                )
                fate = "survived" if p.returncode == 0 else ("killed" if p.returncode == 1 else f"rc{p.returncode}")
                tail = p.stdout.strip().splitlines()[-1:] if p.stdout else []
            except subprocess.TimeoutExpired:
                fate, tail = "timeout", []
            rec = {
                "n": n,
                "fate": fate,
                "secs": round(time.time() - t),
                **{k: m[k] for k in ("line", "func", "what")},
                "tail": tail,
            }
            with log.open("a") as f:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            print(f"{n:3d} {fate:8s} {rec['secs']:4d}s L{m['line']} {m['func']} {m['what']}", flush=True)
    finally:
        write(rel, None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
