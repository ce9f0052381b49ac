"""Command groups (``analysis stance ...``, ``analysis topics ...``) that load when named.

Each group's module imports what its commands need (training, benchmarks,
topic models), which takes seconds. :class:`LazyGroups` imports a group's
module only when the group is invoked or listed in ``--help``, so
``analysis relabel`` or ``analysis config`` start without them.
"""
from __future__ import annotations

import importlib

import click
import typer
from typer.core import TyperGroup

#: Group name -> module whose ``app`` (a ``typer.Typer``) holds the group's commands, in help order.
GROUPS = {
    "stance": "analysis.cli.stance",
    "annotate": "analysis.cli.annotate",
    "topics": "analysis.cli.topics",
    "bench": "analysis.cli.bench",
    "batch": "analysis.cli.batch",
}


class LazyGroups(TyperGroup):
    """The main command: its own commands, plus the :data:`GROUPS`, each built on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        own = super().list_commands(ctx)
        return own + [name for name in GROUPS if name not in own]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in GROUPS and cmd_name not in self.commands:
            group = typer.main.get_group(importlib.import_module(GROUPS[cmd_name]).app)
            group.name = cmd_name
            self.add_command(group, cmd_name)
        return super().get_command(ctx, cmd_name)
