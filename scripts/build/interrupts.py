"""Ctrl-C (SIGINT) and `kill` (SIGTERM) stop a build the same way: an exception in the main
thread that every step lets through, so that the build deletes its temporary files on the way
out and scripts.build.pipeline.main says in one line that it stopped (no traceback)."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator

WHY = {signal.SIGINT: "interrupted (Ctrl-C)", signal.SIGTERM: "stopped by SIGTERM"}


@contextlib.contextmanager
def stop_signals_raise(
    exception: Callable[[str], BaseException] = KeyboardInterrupt,
) -> Iterator[None]:
    """While inside, SIGINT and SIGTERM raise exception(why) in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise exception(WHY[signal.Signals(signum)])

    previous = {signum: signal.signal(signum, stop) for signum in WHY}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
