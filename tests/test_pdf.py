"""`kaohe pdf`: the fixture year printed with the system's Chromium, one file per unit and one for the year."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import require_browser
from conftest import said

from generator.messages import msg

require_browser()
pypdf = pytest.importorskip("pypdf", reason="kaohe pdf joins the year's file with pypdf (pip install 'kaohe[pdf]')")


def test_a_pdf_per_unit_and_one_for_the_year(mini: Path, tmp_path: Path, kaohe):
    out = tmp_path / "pdf"
    run = kaohe("--repo", str(mini), "pdf", "--year", "2010", "-o", str(out))
    assert run.code == 0, run.err
    names = {u: f"2010-{u}.pdf" for u in ("兴仁县质监局", "册亨县质监局", "安龙县质监局")}
    written = sorted(p.name for p in out.iterdir())
    year_file = next(n for n in written if n not in names.values() and n != "2010-考核总览.pdf")
    assert sorted(written) == sorted([*names.values(), "2010-考核总览.pdf", year_file])
    for unit, name in names.items():
        pages = [" ".join(p.extract_text().split()).replace(" ", "") for p in pypdf.PdfReader(out / name).pages]
        assert pages and all(f"{unit}·2010年度考核评分表" in text for text in pages)
        assert "被考核单位负责人" in pages[-1] and "审核人" in pages[-1]
    book = pypdf.PdfReader(out / year_file)
    assert [item.title for item in book.outline] == ["考核总览", "兴仁县质监局", "册亨县质监局", "安龙县质监局"]
    parts = sum(len(pypdf.PdfReader(out / n).pages) for n in [*names.values(), "2010-考核总览.pdf"])
    assert len(book.pages) == parts
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left behind


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_pdfs_are_not_written_into_the_data(mini: Path, kaohe):
    run = kaohe("--repo", str(mini), "pdf", "--year", "2010", "-o", str(mini / "evidence" / "pdf"))
    assert run.code == 1 and "evidence/ folder" in run.err
    assert not (mini / "evidence" / "pdf").exists()


def test_units_of_one_name_each_get_their_own_file_and_pages(mini: Path, tmp_path: Path, kaohe):
    """册亨 renamed 安龙县质监局 (kaohe check accepts two units of one name): each unit's file holds its
    own sheet (安龙 total 3.22 of 25, 册亨 7.22 of 30), and the year's file holds each once."""
    units = mini / "evidence/2010/units.toml"
    units.write_text(units.read_text(encoding="utf-8").replace('"册亨县质监局"', '"安龙县质监局"'), encoding="utf-8")
    out = tmp_path / "pdf"
    run = kaohe("--repo", str(mini), "pdf", "--year", "2010", "-o", str(out))
    assert run.code == 0, run.err

    def text(name: str) -> str:
        return " ".join(p.extract_text() for p in pypdf.PdfReader(out / name).pages)

    anlong, cehen = text("2010-安龙县质监局-anlong.pdf"), text("2010-安龙县质监局-cehen.pdf")
    assert "3.22" in anlong and "7.22" not in anlong
    assert "7.22" in cehen and "3.22 25" not in cehen
    year_file = next(p.name for p in out.iterdir() if "年度" in p.name)
    book = pypdf.PdfReader(out / year_file)
    # ranked: 兴仁 23.02, then 册亨 (now 安龙县质监局) 7.22, then 安龙 3.22; each bookmark at its own sheet
    assert [item.title for item in book.outline] == ["考核总览", "兴仁县质监局", "安龙县质监局", "安龙县质监局"]
    first = [book.pages[book.get_destination_page_number(item)].extract_text() for item in book.outline]
    assert "7.22" in first[2] and "3.22" in first[3] and "7.22" not in first[3]
    parts = [
        "2010-考核总览.pdf",
        "2010-兴仁县质监局.pdf",
        "2010-安龙县质监局-anlong.pdf",
        "2010-安龙县质监局-cehen.pdf",
    ]
    assert len(book.pages) == sum(len(pypdf.PdfReader(out / n).pages) for n in parts)
    assert sorted(p.name for p in out.iterdir()) == sorted([*parts, year_file])


def test_a_unit_name_too_long_for_a_file_name_is_cut(mini: Path, tmp_path: Path, kaohe):
    name = "黔西南布依族苗族自治州质量技术监督局" * 5  # 90 characters, 270 bytes: "File name too long" half-way
    units = mini / "evidence/2010/units.toml"
    units.write_text(units.read_text(encoding="utf-8").replace('"安龙县质监局"', f'"{name}"'), encoding="utf-8")
    out = tmp_path / "pdf"
    run = kaohe("--repo", str(mini), "pdf", "--year", "2010", "-o", str(out))
    assert run.code == 0, run.err
    cut = "2010-" + name[:77] + ".pdf"  # 5 + 77 × 3 = 236 bytes, 240 with ".pdf"
    assert cut in [p.name for p in out.iterdir()] and len(list(out.iterdir())) == 5


@pytest.mark.parametrize("where", ["a-file", "inside-a-file", "proc"])
def test_an_out_that_cannot_hold_the_pdfs_is_refused_before_the_year_is_built(mini: Path, tmp_path: Path, kaohe, where):
    """-o naming a file (or a folder under one, or /proc) is the user's mistake: exit 1, said at once
    (the year in --year is not even built), not an internal error after the whole year is printed."""
    afile = tmp_path / "afile"
    afile.write_text("mine")
    out = {"a-file": afile, "inside-a-file": afile / "pdf", "proc": Path("/proc/pdf")}[where]
    run = kaohe("--repo", str(mini), "pdf", "--year", "2010", "-o", str(out))
    assert run.code == 1 and "内部错误" not in run.err, run.err
    if where == "proc":
        assert said("output.cannot-write", option="-o", output=out, reason=msg("path.reason.missing")) in run.err
    else:
        assert said("output.not-a-folder", option="-o", output=afile) in run.err
    assert afile.read_text() == "mine"
