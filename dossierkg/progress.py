"""A progress bar on a terminal (rich), silence elsewhere."""

from __future__ import annotations

import sys
from contextlib import contextmanager


@contextmanager
def progress_bar():
    """Yield a callback(stage, done, total) that draws one bar per build stage on stderr's terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn  # only on a terminal

    with Progress(TextColumn("{task.description:>9}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  transient=True) as bar:
        tasks: dict[str, int] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update
