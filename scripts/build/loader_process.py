"""The loader (scripts.loader.load) in a child process, so dbt can work beside it.

Forked, the child also tells the build when the CSV sources are landed (their folder and file
names, through a pipe), so dbt can build from them while the workbook is still converting.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import subprocess
import sys
from pathlib import Path

from scripts.loader import load as load_raw
from scripts.paths import REPO_ROOT

CsvLanding = tuple[Path, list[str]]


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"stopped by signal {signum}")


def _die_with_parent(parent_pid: int) -> None:
    """In the loader's child process: stop it if the build is killed (SIGKILL cannot be caught,
    so the build cannot stop it itself). SIGTERM then interrupts the load, which deletes its
    half-built landing; if the child is killed too, the next build deletes it."""
    signal.signal(signal.SIGTERM, _interrupt)
    if sys.platform == "linux":
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
        if os.getppid() != parent_pid:  # the build died before that: too late to be told
            raise KeyboardInterrupt("the build is gone")


def _run_loader(
    arguments: list[str], pipe: multiprocessing.connection.Connection, parent_pid: int
) -> None:
    """The loader, in the forked child process."""

    def tell_parent(folder: Path, landed_files: list[str]) -> None:
        pipe.send((str(folder), landed_files))

    try:
        _die_with_parent(parent_pid)
        status = load_raw.main(arguments, tell_parent)
    except KeyboardInterrupt:
        # Stopped by the build, Ctrl-C or the build's death; the load has deleted its new
        # landing. Exit now, without waiting for a workbook conversion still under way.
        sys.stderr.flush()
        os._exit(130)
    sys.exit(status)


class LoaderProcess:
    """The loader running in a child process: forked where that is safe and cheap (Linux; the
    child then needs no interpreter start-up or imports, ~0.25 s of the critical path), else
    started as `python -m scripts.loader.load`."""

    def __init__(self, arguments: list[str]) -> None:
        self.process: multiprocessing.process.BaseProcess | None = None
        self.popen: subprocess.Popen[bytes] | None = None
        self.csv_news: multiprocessing.connection.Connection | None = None
        sys.stdout.flush()
        sys.stderr.flush()
        if sys.platform == "linux":
            context = multiprocessing.get_context("fork")
            self.csv_news, child_end = context.Pipe(duplex=False)
            self.process = context.Process(
                target=_run_loader, args=(arguments, child_end, os.getpid()), name="loader"
            )
            self.process.start()
            child_end.close()
        else:
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "scripts.loader.load", *arguments],
                cwd=REPO_ROOT,
                env={
                    **os.environ,
                    "PYTHONPATH": os.pathsep.join(
                        filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])
                    ),
                },
            )

    def csv_sources_landed(self, wait: bool) -> CsvLanding | None:
        """The folder and file names of the landed CSV sources, once they are landed; None
        when they are not yet (without wait), when the loader has ended (its landing is then
        published, not in that folder) or when it cannot tell (not forked)."""
        if self.csv_news is None or self.process is None:
            return None
        if wait:
            multiprocessing.connection.wait([self.csv_news, self.process.sentinel])
        if not self.process.is_alive():  # done: its landing is published, not the news's folder
            return None
        try:
            if self.csv_news.poll():
                folder, landed_files = self.csv_news.recv()
                return Path(folder), landed_files
        except (EOFError, OSError):
            pass
        return None

    def wait(self) -> int:
        if self.process is not None:
            self.process.join()
            return self.process.exitcode or 0
        assert self.popen is not None
        return self.popen.wait()

    def stop(self) -> None:
        """Interrupt the loader if it still runs (it then discards its half-built landing)."""
        if self.process is not None:
            if self.process.is_alive() and self.process.pid is not None:
                os.kill(self.process.pid, signal.SIGINT)
                self.process.join(timeout=10)
                if self.process.is_alive():
                    self.process.kill()
                    self.process.join()
            return
        assert self.popen is not None
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGINT)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
