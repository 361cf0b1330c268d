"""The exit codes of `kaohe`: one per kind of outcome, so a script can tell a bug from bad input."""

from __future__ import annotations

import pytest

import generator.commands.check


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_no_command_is_a_usage_error_with_the_help(kaohe):
    run = kaohe()
    assert run.code == 2
    assert "usage: kaohe" in run.out


def test_a_command_line_argparse_cannot_parse_exits_2():
    from generator.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["score", "--format", "nonsense"])
    assert exc.value.code == 2


def test_bad_input_exits_1(kaohe, tmp_path):
    run = kaohe("--repo", str(tmp_path), "check")
    assert run.code == 1 and "internal error" not in run.err


@pytest.mark.usefixtures("english")  # reads what the message says of its parameters
def test_an_internal_error_exits_3_and_says_it_is_a_bug(kaohe, mini, monkeypatch):
    def broken(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(generator.commands.check, "run", broken)
    run = kaohe("--repo", str(mini), "check")
    assert run.code == 3
    assert "kaohe check: internal error: ZeroDivisionError" in run.err and "Traceback" not in run.err


@pytest.mark.parametrize("argv", [["build", "--jobs", "x"], ["score", "--year", "二〇一〇"]])
def test_a_number_option_that_is_not_a_number_is_refused_in_chinese(argv, capsys):
    """argparse said “无效的 int 值：'x'”: Python's type name and quotes a clerk does not read."""
    from generator.cli import main

    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert f"“{argv[-1]}”不是整数：请用阿拉伯数字写一个整数" in err, err
    assert "int" not in err.split("错误：", 1)[1], err


#: A folder name of 300 bytes: the system's limit is 255 (ENAMETOOLONG), whatever the path's length.
LONG = "名" * 100


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--repo", "{tmp}/" + LONG],
        ["build", "--repo", "{mini}", "--no-cache", "--site-dir", "{tmp}/" + LONG + "/site"],
        ["build", "--repo", "{mini}", "--site-dir", "{tmp}/site", "--cache-dir", "{tmp}/" + LONG],
        ["export", "--repo", "{mini}", "--year", "2010", "-o", "{tmp}/" + LONG + ".xlsx"],
        ["import", "framework", "{tmp}/" + LONG + ".xlsx", "--id", "t", "--repo", "{tmp}"],
    ],
    ids=["check-repo", "build-site-dir", "build-cache-dir", "export-output", "import-file"],
)
def test_a_path_too_long_for_the_system_is_bad_input_not_an_internal_error(kaohe, mini, tmp_path, argv):
    """A folder or file name over 255 bytes (100 汉字 are 300) given on the command line: the first
    os.stat of it raised OSError ENAMETOOLONG (Path.exists lets it through), and each of these
    commands said 内部错误 …这是 kaohe 的缺陷, exit 3. Now: exit 1, the path, why and what to do."""
    args = [a.format(tmp=tmp_path, mini=mini) for a in argv]
    run = kaohe(*args)
    assert run.code == 1, run.err
    assert "内部错误" not in run.err and "OSError" not in run.err
    assert f"{tmp_path}/{LONG}" in run.err
    assert "文件名或路径太长" in run.err and "（提示：缩短路径中过长的文件夹名或文件名" in run.err
    assert not any(p.name.startswith(".kaohe") for p in tmp_path.iterdir())  # nothing half-made left
