"""The command table: `--help`, each command's parser and its dispatch all come from
`cli.table.COMMANDS`, so a command added there is listed, parsed and run."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from essaytui.cli import COMMANDS, Command, build_command_parser, main
from essaytui.cli.table import description


def test_help_lists_every_synopsis_of_the_table() -> None:
    text = description()
    for command in COMMANDS.values():
        assert command.synopsis, command.name
        for usage, _ in command.synopsis:
            assert f"  {usage}" in text
    # listed in the table's order
    firsts = [text.index(f"  essaytui {name}") for name in COMMANDS]
    assert firsts == sorted(firsts)


def test_every_command_parses_its_own_help_and_the_global_options() -> None:
    for name in COMMANDS:
        parser = build_command_parser(name)
        assert parser.prog == f"essaytui {name}"
        assert "--data-dir" in parser.format_help()


def test_a_command_added_to_the_table_is_listed_parsed_and_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def options(parser: argparse.ArgumentParser) -> None:
        parser.description = "Say hello."
        parser.add_argument("who", metavar="NAME")

    def run(parsed: argparse.Namespace) -> int:
        print(f"hello {parsed.who} in {parsed.data_dir}")
        return 3

    greeting = Command("hello", (("essaytui hello NAME", "say hello"),), options, run)
    monkeypatch.setitem(COMMANDS, "hello", greeting)
    assert "  essaytui hello NAME" in description()
    status = main(["--data-dir", str(tmp_path), "hello", "you"])
    assert status == 3
    assert capsys.readouterr().out == f"hello you in {tmp_path}\n"
    with pytest.raises(SystemExit) as exit_:
        main(["hello"])  # its own parser's error: NAME is missing
    assert exit_.value.code == 2
    assert "essaytui hello: error" in capsys.readouterr().err
