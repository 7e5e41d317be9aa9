"""The publisher's packaging, for the generated files in its own layouts: CSV text with the
publisher's CRLF line ends, and zip archives whose members have a fixed time (so an archive is
byte-for-byte the same for a seed) and whose comment says the contents are SYNTHETIC."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path


def csv_text(rows: list[list[str]]) -> str:
    """Rows as the publisher writes them: minimal quoting, CRLF line ends."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def write_archive(
    path: Path, publication: dt.date, label: str, members: dict[str, list[list[str]]]
) -> Path:
    """A zip of CSV members (name -> rows), labelled in its comment."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.comment = label.encode("utf-8")
        for name, rows in members.items():
            member = zipfile.ZipInfo(name, date_time=(*publication.timetuple()[:3], 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(member, csv_text(rows))
    return path
