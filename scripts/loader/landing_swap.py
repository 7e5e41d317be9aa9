"""Build the new landing folder beside the old one and swap it in only when all is well.

Everything is written into a fresh sibling folder (same filesystem); publishing renames the
old folder aside, renames the new one into place and then deletes the old one. A failed or
interrupted load deletes its new folder, so the previous landing stays exactly as it was and
readers never see a mix of old and new files. Files in the old landing that the loader does
not write (e.g. provenance.csv from the build) are carried over unchanged.

Folders left behind by a load that was killed outright are named after its process id and
removed by the next load (or build) once that process is gone (a reused process id does not
count: scripts/crash_safety/leftovers.py); if it died between the two renames, the old landing
is first put back.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from scripts.crash_safety.leftovers import owner_is_gone, pid_after

_NEW, _OLD = ".new-", ".old-"


class LandingError(Exception):
    """The landing folder cannot be used (e.g. it is a file, or holds sub-folders)."""


def _leftovers(landing_dir: Path, infix: str) -> list[Path]:
    prefix = f".{landing_dir.name}{infix}"
    return [
        path
        for path in sorted(landing_dir.parent.glob(f"{prefix}*"))
        if (pid := pid_after(path.name, prefix)) is not None and owner_is_gone(path, pid)
    ]


def clean_up_after_dead_loads(landing_dir: Path) -> list[Path]:
    """Put back a landing a dead load had renamed aside, delete the new and old folders of dead
    loads; return what was deleted."""
    removed = []
    if not landing_dir.parent.is_dir():
        return removed
    for old in _leftovers(landing_dir, _OLD):
        if not landing_dir.exists():
            old.rename(landing_dir)
        else:
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old)
    for new in _leftovers(landing_dir, _NEW):
        shutil.rmtree(new, ignore_errors=True)
        removed.append(new)
    return removed


class LandingSwap:
    """A new landing folder being filled; ``publish`` or ``discard`` ends it."""

    def __init__(self, landing_dir: Path, owned_names: set[str]) -> None:
        self.landing_dir = landing_dir.resolve()
        self.owned_names = owned_names
        clean_up_after_dead_loads(self.landing_dir)
        if self.landing_dir.exists() and not self.landing_dir.is_dir():
            raise LandingError(f"{self.landing_dir} exists and is not a folder")
        if self.landing_dir.is_dir():
            nested = [path.name for path in self.landing_dir.iterdir() if path.is_dir()]
            if nested:
                raise LandingError(
                    f"{self.landing_dir} holds sub-folders ({', '.join(sorted(nested))}); a "
                    "landing folder holds only landed files, so it will not be replaced"
                )
        self.landing_dir.parent.mkdir(parents=True, exist_ok=True)
        self.work_dir = Path(
            tempfile.mkdtemp(
                prefix=f".{self.landing_dir.name}{_NEW}{os.getpid()}-",
                dir=self.landing_dir.parent,
            )
        )

    def previous(self, name: str) -> Path:
        return self.landing_dir / name

    def reuse(self, name: str) -> None:
        """Put the previous landing's file into the new folder (a hard link when possible)."""
        source, target = self.previous(name), self.work_dir / name
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)

    def publish(self) -> None:
        """Swap the new folder in place of the old one."""
        if self.landing_dir.is_dir():
            for path in self.landing_dir.iterdir():
                if path.name not in self.owned_names and not (self.work_dir / path.name).exists():
                    self.reuse(path.name)
        old = self.landing_dir.with_name(f".{self.landing_dir.name}{_OLD}{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        had_old = self.landing_dir.exists()
        if had_old:
            self.landing_dir.rename(old)
        try:
            self.work_dir.rename(self.landing_dir)
        except OSError:
            if had_old:
                old.rename(self.landing_dir)
            raise
        if had_old:
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        """Delete the new folder (retried: a converting thread may be creating a file in it
        meanwhile; if it still stands, the next load removes it once this process is gone)."""
        for _ in range(3):
            if not self.work_dir.exists():
                return
            shutil.rmtree(self.work_dir, ignore_errors=True)
