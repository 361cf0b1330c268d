"""Nothing is lost: a `kaohe build` that fails leaves the previous site/ exactly as it was.

The previous site is compared byte for byte, not only by listing, and the build is made to fail
at three moments: before MkDocs starts (a broken evidence file), in the middle of writing pages
(a page that cannot be rendered, and an interrupt), and in the second of two years, after the
first built.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from generator.render import pages

#: These tests read what messages say of their parameters (a value quoted, a placeholder named): in English.
pytestmark = pytest.mark.usefixtures("english")


def snapshot(site: Path) -> dict[str, str]:
    """Every file under site/ with a hash of its bytes."""
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def leftovers(site: Path) -> list[str]:
    """Staging or old copies left beside site/ (the build stages in hidden folders next to it)."""
    return sorted(p.name for p in site.parent.iterdir() if p.name != site.name and p.name.startswith("."))


@pytest.fixture
def built(kaohe, mini: Path, tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """The mini repository built once into out/site; returns (repository, site, snapshot)."""
    site = tmp_path / "out" / "site"
    site.parent.mkdir()
    first = kaohe("--repo", str(mini), "build", "--site-dir", str(site))
    assert first.code == 0, first.err
    before = snapshot(site)
    assert "default/2010/units/xingren.html" in before and "default/versions.json" in before
    return mini, site, before


def test_broken_evidence_fails_cleanly_and_keeps_the_site(kaohe, built):
    repo, site, before = built
    broken = repo / "evidence/2010/xingren/df-01-meeting.md"
    broken.write_text('+++\nindicator = "df-01"\ndate = 2010-02-30\n+++\n正文\n', encoding="utf-8")
    result = kaohe("--repo", str(repo), "build", "--site-dir", str(site))
    assert result.code == 1
    assert "internal error" not in result.err and "Traceback" not in result.err
    assert "df-01-meeting.md" in result.err  # says which file is wrong
    assert snapshot(site) == before
    assert leftovers(site) == []


def test_failure_while_writing_pages_keeps_the_site(kaohe, built, monkeypatch):
    repo, site, before = built
    (repo / "evidence/2010/xingren/df-01-halfyear.md").write_text(
        '+++\nindicator = "df-01"\ndate = 2010-07-05\nsatisfies = "half-year"\n+++\n改过的正文。\n', encoding="utf-8"
    )
    render = pages.Site.render
    calls = {"n": 0}

    def fail_on_the_fifth_page(self, spec):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device")
        return render(self, spec)

    monkeypatch.setattr(pages.Site, "render", fail_on_the_fifth_page)
    result = kaohe("--repo", str(repo), "build", "--site-dir", str(site))
    assert result.code == 1 and "disk full while writing" in result.err and "is intact" in result.err
    assert "internal error" not in result.err
    assert calls["n"] == 5  # it failed in the middle, with pages already written to the staging folder
    assert snapshot(site) == before
    assert leftovers(site) == []


def test_interrupt_while_writing_pages_keeps_the_site(kaohe, built, monkeypatch):
    repo, site, before = built

    def interrupted(self, spec):
        raise KeyboardInterrupt

    monkeypatch.setattr(pages.Site, "render", interrupted)
    # --no-cache: every page is rendered (the cache of the first build holds them all, unchanged)
    result = kaohe("--repo", str(repo), "build", "--site-dir", str(site), "--no-cache")
    assert result.code == 130
    assert snapshot(site) == before
    assert leftovers(site) == []


def test_second_year_failing_keeps_the_first_years_old_pages(kaohe, built):
    """Two years build into one staging folder: the first year's new pages do not go live alone."""
    repo, site, before = built
    shutil.copytree(repo / "evidence/2010", repo / "evidence/2011")
    units = repo / "evidence/2011/units.toml"
    units.write_text(units.read_text(encoding="utf-8").replace("year = 2010", "year = 2011"), encoding="utf-8")
    for md in (repo / "evidence/2011").rglob("*.md"):
        md.write_text(md.read_text(encoding="utf-8").replace("date = 2010-", "date = 2011-"), encoding="utf-8")
    for toml in (repo / "evidence/2011").rglob("findings.toml"):
        toml.write_text(toml.read_text(encoding="utf-8").replace("date = 2010-", "date = 2011-"), encoding="utf-8")
    (repo / "evidence/2010/xingren/df-01-meeting.md").write_text(
        '+++\nindicator = "df-01"\ndate = 2010-03-15\nsatisfies = "meeting"\n+++\n2010年改过的正文。\n',
        encoding="utf-8",
    )
    (repo / "evidence/2011/xingren/findings.toml").write_text("[[finding]]\nid = 'broken'\n", encoding="utf-8")
    result = kaohe("--repo", str(repo), "build", "--site-dir", str(site))
    assert result.code == 1
    assert "internal error" not in result.err
    assert snapshot(site) == before
    assert leftovers(site) == []
