"""The version selector of a published site switches between years, in headless Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

from browser_support import ARTIFACTS, open_page, require_browser, serve
from conftest import FIXTURES, git, init_git
from repos import add_year_2011

sync_api = require_browser()


def test_version_selector_switches_between_published_years(tmp_path: Path, kaohe):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", repo)
    init_git(repo)
    git(repo, "tag", "results-2010")
    add_year_2011(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "2011")
    git(repo, "tag", "results-2011")
    assert kaohe("publish", "--repo", str(repo)).code == 0

    with serve(repo / "site") as root, open_page(sync_api) as (page, problems):
        page.goto(root)
        page.wait_for_url("**/2011/")  # the root sends readers to the newest final year
        page.wait_for_load_state("networkidle")
        current = page.locator(".md-version__current")
        assert current.inner_text().strip() == "2011"
        page.locator(".md-version").hover()  # the list opens on hover, as a reader's mouse does
        page.locator(".md-version__link", has_text="2010").click()
        page.wait_for_url("**/2010/**")
        page.wait_for_load_state("networkidle")
        assert page.locator(".md-version__current").inner_text().strip() == "2010"
        assert "正式结果" in page.locator(".kh-provenance").inner_text()
        page.locator(".kh-prov-source summary").click()  # the tag is one click away (来源)
        assert "results-2010" in page.locator(".kh-provenance").inner_text()
        page.screenshot(path=str(ARTIFACTS / "version-2010.png"), full_page=False)
        assert problems == []
