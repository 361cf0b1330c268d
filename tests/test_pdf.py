"""`kaohe pdf`: the fixture year printed with the system's Chromium, one file per unit and one for the year."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import require_browser

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
