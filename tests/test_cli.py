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
