"""Shared by the import and export commands (the helper itself lives in core)."""

from dangjian.core.cli import cli_actor

__all__ = ["cli_actor"]
