"""`kaohe pdf`'s file names, decided before anything is printed: one file per unit, whatever the names.

Two units of one name (kaohe check accepts them), names that differ only in characters a file name
cannot hold, a unit named like the overview: each once made one file that the next overwrote, and
the signed year file showed one unit's sheet twice and another's never. A name of 80 Chinese
characters (240 bytes) made "File name too long" half-way through the year.
"""

from __future__ import annotations

from generator.render.pdf import NAME_BYTES, file_names


def test_units_of_one_name_get_their_ids():
    names = file_names(
        [
            ("2010-2010年度考核结果", None),  # the year's file
            ("2010-考核总览", None),  # the overview
            ("2010-兴仁县质监局", "xingren"),
            ("2010-安龙县质监局", "anlong"),
            ("2010-安龙县质监局", "cehen"),
            ("2010-A/B", "ab1"),
            ("2010-A:B", "ab2"),
            ("2010-考核总览", "zonglan"),
            ("2010-ABC", "x1"),
            ("2010-abc", "x2"),  # one file on Windows and macOS
        ]
    )
    assert names == [
        "2010-2010年度考核结果.pdf",
        "2010-考核总览.pdf",
        "2010-兴仁县质监局.pdf",  # a name of its own keeps it plain
        "2010-安龙县质监局-anlong.pdf",
        "2010-安龙县质监局-cehen.pdf",
        "2010-A_B-ab1.pdf",
        "2010-A_B-ab2.pdf",
        "2010-考核总览-zonglan.pdf",
        "2010-ABC-x1.pdf",
        "2010-abc-x2.pdf",
    ]


def test_long_names_are_cut_by_bytes_and_kept_apart():
    long = "2010-" + "黔" * 90  # 5 + 90 × 3 = 275 bytes
    # 240 bytes with ".pdf": 236 for the name, 5 + 77 × 3 = 236
    assert file_names([(long, "a")]) == ["2010-" + "黔" * 77 + ".pdf"]
    names = file_names([(long, "a"), (long + "甲", "l1"), (long + "乙", "l2")])
    # the three are alike in their first 236 bytes, so all three get their ids:
    # "-a" leaves 234 bytes: 5 + 76 × 3 = 233 (a 77th 黔 would make 236); "-l1" leaves 233: 76 again
    assert names == ["2010-" + "黔" * 76 + "-a.pdf", "2010-" + "黔" * 76 + "-l1.pdf", "2010-" + "黔" * 76 + "-l2.pdf"]
    assert all(len(n.encode("utf-8")) <= NAME_BYTES for n in names)
