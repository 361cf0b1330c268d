r"""Names and ids end where the string ends: Python's `$` also matches before a final newline.

`re.match(r"^[a-z]+$", "evil\n")` succeeds, so every id or name pattern kaohe checks by hand ends in
`\Z` (the JSON schemas keep `^…$`, which means the whole string there, and pydantic's patterns run on
an engine whose `$` is the end). Each case is a real file or folder with a name or value that is
right but for a trailing newline, refused where the right one is accepted.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, init_git
from pydantic import TypeAdapter, ValidationError
from safety_support import refusal

from generator.individual.report import parse_quarter
from generator.model import Handle
from generator.problems import InputError
from generator.publish.records import file_records
from generator.publish.stamp import STAMP, DamagedStamp, read_stamp
from generator.types import Id

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def stamp_of(folder: Path, **changes: object) -> Path:
    """A year folder with a stamp as kaohe writes it for a final 2010, but for `changes`."""
    folder.mkdir(parents=True)
    data = {"year": 2010, "framework": "mini", "commit": COMMIT, "commit_date": None, "tag": "results-2010"}
    data |= {"draft": False, "organization": "default", "organization_name": "黔西南州质量技术监督局"}
    (folder / STAMP).write_text(json.dumps({**data, **changes}), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "field", ["commit", "tag", "framework", "organization"], ids=lambda f: f"stamp-{f}-with-newline"
)
def test_a_stamp_value_with_a_trailing_newline_is_damaged(tmp_path: Path, field: str):
    good = stamp_of(tmp_path / "good/2010")
    assert read_stamp(good).commit == COMMIT  # the value as it is: accepted
    value = json.loads((good / STAMP).read_text(encoding="utf-8"))[field]
    with pytest.raises(DamagedStamp):
        read_stamp(stamp_of(tmp_path / "bad/2010", **{field: value + "\n"}))


@pytest.mark.parametrize("entry", ['commit = "C\\n"', 'commit = "C"\ntag = "results-2010\\n"'])
def test_a_record_with_a_trailing_newline_is_refused(tmp_path: Path, entry: str):
    (tmp_path / "published.toml").write_text(f"[2010]\ncommit = {json.dumps(COMMIT)}\n", encoding="utf-8")
    assert file_records(tmp_path, with_head=False)[2010].commit == COMMIT
    (tmp_path / "published.toml").write_text("[2010]\n" + entry.replace("C", COMMIT) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        file_records(tmp_path, with_head=False)
    assert caught.value.code == "publish.record-invalid"


@pytest.mark.parametrize("name", ["2010\n", "default/2010\n", "default/versions.json\n", "index.html\n"])
def test_a_site_entry_named_with_a_trailing_newline_is_foreign(tmp_path: Path, name: str):
    """ "2010\n" is no year folder (int() would read it as 2010), "index.html\n" no page of kaohe's."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", repo)
    init_git(repo)
    site = tmp_path / "site"
    (site / "default").mkdir(parents=True)
    (site / ".kaohe-site").write_text("", encoding="utf-8")
    if name.endswith("2010\n"):
        (site / name).mkdir()
    else:
        (site / name).write_text("x\n", encoding="utf-8")
    caught = refusal("build", "--repo", str(repo), "--site-dir", str(site))
    assert (caught.code, caught.params["file"]) == ("site.foreign-file", site / name)


def test_an_evidence_year_folder_with_a_trailing_newline_is_no_year(tmp_path: Path):
    from builders import load

    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", repo)
    (repo / "evidence/2010").rename(repo / "evidence/2010\n")
    _, problems = load(repo)
    assert ("evidence/2010\n/units.toml", "year.folder-name") in [(p.path, p.code) for p in problems.errors]


def test_an_import_id_with_a_trailing_newline_is_refused(tmp_path: Path):
    caught = refusal("import", "framework", str(tmp_path / "细则.docx"), "--id", "mini\n", "--repo", str(tmp_path))
    assert caught.code == "import.bad-id"


def test_a_quarter_with_a_trailing_newline_is_refused():
    assert parse_quarter("2024-Q1") == (2024, 1)
    with pytest.raises(InputError) as caught:
        parse_quarter("2024-Q1\n")
    assert caught.value.code == "individual.bad-quarter"


@pytest.mark.parametrize(("kind", "value"), [(Id, "df-01"), (Handle, "@qianxinan/xingren")])
def test_the_models_patterns_end_at_the_end(kind: object, value: str):
    adapter = TypeAdapter(kind)
    assert adapter.validate_python(value) == value
    with pytest.raises(ValidationError):
        adapter.validate_python(value + "\n")
