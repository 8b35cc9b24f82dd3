"""The Rich progress bar the CLI commands share: description, bar, done/total, extra columns, time."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)


def task_progress(console: Console, *extra: ProgressColumn) -> Progress:
    """A transient bar on `console` (stderr in the CLIs, so `--json` output stays clean)."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        *extra,
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
