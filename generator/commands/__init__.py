"""One module per `kaohe` subcommand.

Each has ``add_parser(subparsers, common)`` (pass ``parents=[common]`` for the shared options such
as ``--repo``) and ``run(args) -> int``; list it in ``generator.cli.COMMANDS``.
"""
