"""Two organizations in one site, read in headless Chromium: the root lists them by name, and each
year's version selector offers only its own organization's years."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import ARTIFACTS, open_page, require_browser, serve
from conftest import git, init_git
from repos import two_organizations

sync_api = require_browser()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """黔西南 2010 (final) and 2011 (draft), 辽阳 2014 (draft), built by `kaohe build`."""
    from generator.cli import main

    repo = two_organizations(tmp_path_factory.mktemp("orgs") / "repo")
    init_git(repo)
    git(repo, "tag", "results-2010")
    assert main(["build", "--repo", str(repo)]) == 0
    with serve(repo / "site") as url:
        yield url


def selector_titles(page) -> list[str]:
    page.locator(".md-version").hover()  # the list opens on hover, as a reader's mouse does
    return [t.strip() for t in page.locator(".md-version__link").all_inner_texts()]


def test_the_root_lists_both_organizations_and_each_selector_only_its_own_years(served: str):
    with open_page(sync_api) as (page, problems):
        page.goto(served)
        page.wait_for_load_state("networkidle")
        assert page.url == served  # a page to choose from, not a redirect
        assert page.locator("h2").all_inner_texts() == ["辽阳出入境检验检疫局", "黔西南州质量技术监督局"]
        text = page.locator("body").inner_text()
        assert "qianxinan" not in text and "liaoyang" not in text  # ids only in the addresses
        page.screenshot(path=str(ARTIFACTS / "organizations.png"), full_page=True)

        page.get_by_role("link", name="黔西南州质量技术监督局").click()
        page.wait_for_url(served + "qianxinan-qts/2010/")  # its newest final year, not the newer draft
        page.wait_for_load_state("networkidle")
        assert "考核机关：黔西南州质量技术监督局" in page.locator(".kh-provenance").inner_text()
        assert page.locator(".md-version__current").inner_text().strip() == "2010"
        assert selector_titles(page) == ["2011（草稿）", "2010"]  # 辽阳's 2014 is not one of 黔西南's years
        page.screenshot(path=str(ARTIFACTS / "organization-versions.png"))
        page.locator(".md-version__link", has_text="2011").click()
        page.wait_for_url(served + "qianxinan-qts/2011/**")
        page.wait_for_load_state("networkidle")
        assert "草稿" in page.locator(".kh-provenance").inner_text()

        page.goto(served)
        page.get_by_role("link", name="2014年度（草稿）").click()
        page.wait_for_url(served + "liaoyang-ciq/2014/")
        page.wait_for_load_state("networkidle")
        assert "考核机关：辽阳出入境检验检疫局" in page.locator(".kh-provenance").inner_text()
        assert selector_titles(page) == ["2014（草稿）"]
        assert problems == []  # every versions.json the selectors fetched was there


def test_with_one_organization_the_root_sends_readers_to_its_latest_year(tmp_path: Path, kaohe):
    repo = two_organizations(tmp_path / "repo")
    init_git(repo)
    git(repo, "tag", "results-2010")
    assert kaohe("build", "--repo", str(repo), "--org", "qianxinan-qts").code == 0
    with serve(repo / "site") as url, open_page(sync_api) as (page, problems):
        page.goto(url)
        page.wait_for_url(url + "qianxinan-qts/2010/")
        page.wait_for_load_state("networkidle")
        assert selector_titles(page) == ["2011（草稿）", "2010"]
        assert problems == []
