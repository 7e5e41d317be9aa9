"""A raw file's bytes: read in pieces that end at a newline, hashed, and checked to be UTF-8
with every undecodable byte reported by its line and column.

The pieces are CHUNK_BYTES long (about), so a raw file of any size is read in bounded memory; a
file inside a zip archive is read from its archive.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator

from scripts.loader.problems import SHOWN_PROBLEMS, Problem, ProblemLog
from scripts.loader.raw_inputs import RawInput

# Each piece of a CSV is split into lines and fields by one DuckDB statement, which holds
# several copies of the piece while it runs. 8 MB pieces against 32 MB (appointments_regional,
# staged alone): 0.8 s against 1.0-1.3 s at full size, peak RSS 690-700 MiB against 960-990 at
# 10x; 4 MB pieces took twice as long at 10x.
CHUNK_BYTES = 8 * 1024 * 1024
_BAD_BYTES = re.compile("[\udc80-\udcff]+")


@contextlib.contextmanager
def open_raw(raw: RawInput) -> Iterator[io.BufferedIOBase]:
    """The raw file's bytes as a stream (a zip member is read from its archive)."""
    if raw.member is None:
        with raw.path.open("rb") as stream:
            yield stream
    else:
        with zipfile.ZipFile(raw.path) as archive, archive.open(raw.member) as stream:
            yield stream


def _blocks(raw: RawInput) -> Iterator[bytes]:
    with open_raw(raw) as stream:
        while block := stream.read(CHUNK_BYTES):
            yield block


def sha256_raw(raw: RawInput) -> str:
    """The sha256 of the raw file's bytes, read in pieces."""
    digest = hashlib.sha256()
    for block in _blocks(raw):
        digest.update(block)
    return digest.hexdigest()


def has_quote(raw: RawInput) -> bool:
    """Whether a quote character appears anywhere in the file (then a field may span lines)."""
    return any(b'"' in block for block in _blocks(raw))


def pieces(raw: RawInput) -> Iterator[bytes]:
    """The raw file in pieces that each end at a newline (the last one at the end of the file)."""
    rest = b""
    yielded = False
    for block in _blocks(raw):
        block = rest + block
        cut = block.rfind(b"\n") + 1
        if cut:
            yield block[:cut]
            yielded = True
        rest = block[cut:]
    if rest or not yielded:
        yield rest


def first_line(data: bytes) -> bytes:
    """Up to the first newline, without copying the rest (split would)."""
    end = data.find(b"\n")
    return data if end < 0 else data[:end]


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def check_utf8(
    data: bytes, header: list[str], source_file: str, log: ProblemLog, lines_before: int = 0
) -> str | None:
    """The decoded text, or None after logging each run of bytes that is not UTF-8 (data is
    the part of a file after its first lines_before lines)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # surrogateescape turns each undecodable byte into a lone surrogate, which valid text
    # cannot contain, so the bad spots can be found (and shown) in the decoded text.
    text = data.decode("utf-8", errors="surrogateescape")
    runs = list(_BAD_BYTES.finditer(text))
    examples = []
    for match in runs[:SHOWN_PROBLEMS]:
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        fields = text[line_start : line_end if line_end >= 0 else len(text)].rstrip("\r")
        fields = fields.split(",")
        field_index = text.count(",", line_start, match.start())
        field = fields[min(field_index, len(fields) - 1)]
        bad = match.group().encode("utf-8", errors="surrogateescape")
        examples.append(
            Problem(
                source_file,
                f"UTF-8 text, but byte(s) {bad.hex(' ').upper()} are not UTF-8 (shown as "
                "\ufffd); the file is in another encoding: re-save it as UTF-8",
                row=lines_before + _line_of(text, match.start()),
                column=header[field_index] if field_index < len(header) else None,
                value=field.encode("utf-8", errors="surrogateescape").decode(errors="replace"),
            )
        )
    log.add_counted(examples, len(runs))
    return None


def lines_at(raw: RawInput, numbers: set[int]) -> dict[int, str]:
    """The text of the given lines (1-based) of the raw file, read again to show them."""
    found: dict[int, str] = {}
    lines_before = 0
    for piece in pieces(raw):
        count = piece.count(b"\n") + (0 if piece.endswith(b"\n") else 1)
        wanted = [n for n in numbers if lines_before < n <= lines_before + count]
        if wanted:
            lines = piece.decode("utf-8", errors="replace").split("\n")
            for number in wanted:
                found[number] = lines[number - lines_before - 1].rstrip("\r")
        lines_before += piece.count(b"\n")
        if len(found) == len(numbers):
            break
    return found


def without_bom(data: bytes) -> bytes:
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data
