"""Queueing background work. With a broker (Redis) a Celery worker runs the task. Without one,
in the embedded default, the task runs in a thread of this process, so that a page can show its
progress while it runs, as it would with a worker; tests run it at once, in the caller."""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import connections


def enqueue(task, *args) -> None:
    """Run a Celery task in the background. Call it after the rows the task reads are
    committed (the task may start on another connection at once)."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        task.delay(*args)
    elif settings.EAGER_TASKS_IN_THREAD:
        threading.Thread(target=_run_in_thread, args=(task, args), daemon=True,
                         name=f"task-{task.name}").start()
    else:
        task.apply(args=args, throw=True)


def _run_in_thread(task, args: tuple) -> None:
    try:
        task.apply(args=args, throw=True)
    finally:
        connections.close_all()
