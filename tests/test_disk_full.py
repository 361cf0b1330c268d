"""A full disk is a clear error ("disk full; the previous site is intact"), exit 1, never a traceback.

The real case runs kaohe on a small tmpfs mounted in a private mount namespace (``unshare``, no
privileges needed where user namespaces are allowed) and fills it; the injected case raises the
error MkDocs would see at its own file-writing layer, where a namespace is not available.
"""

from __future__ import annotations

import errno
import json
import shutil
import subprocess
import sys
from pathlib import Path

import mkdocs.utils
import pytest
from conftest import FIXTURES, ROOT
from safety_support import fingerprint, leftovers, refusal

from generator.messages import tr

SCRIPT = r"""
import json, os, subprocess, sys
from pathlib import Path
disk, repo = Path(sys.argv[1]), sys.argv[2]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(disk)], check=True)
site = disk / "site"
kaohe = [sys.executable, "-c", "import sys; from generator.cli import main; sys.exit(main(sys.argv[1:]))"]
def build():
    done = subprocess.run([*kaohe, "build", "--repo", repo, "--site-dir", str(site)], capture_output=True, text=True)
    return {"code": done.returncode, "err": done.stderr}
def listing():
    return sorted(
        (str(p.relative_to(site)), p.read_bytes().hex() if p.is_file() else "dir") for p in site.rglob("*")
    ) if site.exists() else None
out = {"first": build(), "before": listing()}
filler = disk / "filler"
# fill the disk, then give back a little: less than a site needs. Unbuffered: a buffered file keeps
# the bytes a full disk refused and fails again when closed, depending on how full the disk was
with open(filler, "wb", buffering=0) as handle:
    try:
        while True:
            handle.write(b"\0" * 65536)
    except OSError:
        pass
with open(filler, "r+b") as handle:
    handle.truncate(os.path.getsize(filler) - 256 * 1024)
out["full"] = build()
out["after"] = listing()
out["beside"] = sorted(p.name for p in disk.iterdir() if p.name not in ("site", "filler"))
filler.unlink()
out["freed"] = build()
print(json.dumps(out))
"""


def test_a_real_full_disk(tmp_path: Path):
    if not shutil.which("unshare"):
        pytest.skip("needs unshare(1) to mount a private tmpfs")
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"user namespaces are not allowed here: {probe.stderr.decode().strip()}")
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", repo)
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", sys.executable, "-c", SCRIPT, str(disk), str(repo)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["first"]["code"] == 0, out["first"]["err"]
    full = out["full"]
    assert full["code"] == 1, full["err"]
    # the catalogue's words around the file named (the child process speaks the default language)
    before, after = tr("site.disk-full", lang="zh", file="FILE", previous="").split("FILE")
    assert before in full["err"] and after in full["err"]
    assert "Traceback" not in full["err"] and "internal error" not in full["err"]
    assert out["after"] == out["before"]  # every byte of the previous site
    assert out["beside"] == []  # the half-written staging copy was removed, giving the space back
    assert out["freed"]["code"] == 0, out["freed"]["err"]


@pytest.fixture
def built(kaohe, mini: Path, tmp_path: Path) -> Path:
    site = tmp_path / "out/site"
    assert kaohe("build", "--repo", str(mini), "--site-dir", str(site)).code == 0
    return site


def test_disk_full_while_mkdocs_writes_a_page(built: Path, mini: Path, kaohe, monkeypatch):
    before = fingerprint(built)
    real, calls = mkdocs.utils.write_file, {"n": 0}

    def write_file(content: bytes, output_path: str) -> None:
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(errno.ENOSPC, "No space left on device", output_path)
        real(content, output_path)

    monkeypatch.setattr(mkdocs.utils, "write_file", write_file)
    # --no-cache: every page is written by the renderer (a cached page is linked, see the test below)
    result = kaohe("build", "--repo", str(mini), "--site-dir", str(built), "--no-cache")
    assert result.code == 1 and "Traceback" not in result.err and "internal error" not in result.err
    words_before, words_after = tr("site.disk-full", file="FILE", previous="").split("FILE")
    # named where it belongs, not in the staging copy
    assert f"{words_before}{built}/default/2010/" in result.err and ".html" + words_after in result.err
    calls["n"] = 0
    assert refusal("build", "--repo", str(mini), "--site-dir", str(built), "--no-cache").code == "site.disk-full"
    assert fingerprint(built) == before
    assert leftovers(built) == []


def test_disk_full_while_writing_the_version_list(built: Path, mini: Path, monkeypatch):
    before = fingerprint(built)
    real = Path.write_text

    def write_text(self: Path, text: str, *args, **kwargs):
        if self.name == "versions.json":
            raise OSError(errno.EDQUOT, "Disk quota exceeded", str(self))
        return real(self, text, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)
    error = refusal("build", "--repo", str(mini), "--site-dir", str(built))
    assert error.code == "site.disk-full" and "versions.json" in str(error)
    assert fingerprint(built) == before
    assert leftovers(built) == []
