"""The results site of the mini fixture without MkDocs, for the tests that read its pages."""

from __future__ import annotations

from pathlib import Path

from generator.provenance import Provenance
from generator.render.pages import Site
from generator.render.years import load_year

FIXTURE = Path(__file__).parent / "fixtures" / "mini"
SOURCE_URL = "https://git.example/org/kaohe/src/commit/{commit}/{path}#L{line}"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def make_site(root: Path = FIXTURE, **provenance) -> Site:
    """A final 2010 site with a source link template; `provenance` overrides its fields."""
    loaded = load_year(root, 2010)
    fields = {
        "commit": COMMIT,
        "source_url": SOURCE_URL,
        "draft": False,
        "tag": "results-2010",
    }
    fields.update(provenance)
    return Site(loaded.assessment, loaded.results, Provenance(**fields))
