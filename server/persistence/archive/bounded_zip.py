"""A ZIP file from outside, read without trusting it: its members as bounded streams.

A few megabytes of ZIP can inflate to gigabytes, and its headers can lie. Opening one here
costs a bounded amount of memory whatever it holds:

- before Python's zipfile parses the central directory (one object per entry it lists), the
  end record is read and a directory larger than ``max_directory_bytes`` is refused, as is a
  ZIP64 or multi-disk file (an archive never needs either);
- the members that will be read must be stored or deflated (zipfile does not bound what one
  read of a bzip2 or LZMA member inflates to), unencrypted, listed once, and must not overlap
  (a member's compressed data lies between its header and the next one, or the directory);
- their declared sizes are checked at once: together at most ``max_inflated`` bytes, each at
  most ``max_ratio`` times its compressed size once past ``ratio_grace``; and again while
  they are read, chunk by chunk, so a member is refused as soon as it goes past a limit,
  before the rest of it is inflated;
- a member is read whole only up to the size its caller allows, and line by line with each
  line at most ``max_line`` bytes.

Every refusal is an ArchiveError whose message names the member (and the line).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import IO

from server.persistence.archive.contents import ArchiveError

MiB = 2**20
END_RECORD = b"PK\x05\x06"
END_RECORD_FORMAT = "<4s4H2LH"
END_RECORD_SIZE = struct.calcsize(END_RECORD_FORMAT)  # 22
ZIP64_LOCATOR = b"PK\x06\x07"
ZIP64_LOCATOR_SIZE = 20
LOCAL_HEADER_SIZE = 30
READABLE_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
NOT_A_ZIP = "this is not a ZIP file; upload the archive.zip that Salesfloor exported"


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """What a ZIP from outside may cost to read."""

    max_directory_bytes: int = 64 * 1024
    max_entries: int = 64
    max_inflated: int = 256 * MiB
    max_ratio: int = 100
    ratio_grace: int = 1 * MiB
    max_line: int = 1 * MiB
    chunk: int = 64 * 1024


def _mib(size: int) -> str:
    value, unit = (size / MiB, "MiB") if size >= MiB else (size / 1024, "KiB")
    return f"{value:.0f} {unit}" if value >= 100 else f"{value:.3g} {unit}"


def _end_record(file: IO[bytes], size: int) -> tuple[int, int, int, int]:
    """(where the end record starts, disks, directory size, entries), found as zipfile finds it."""
    if size < END_RECORD_SIZE:
        raise ArchiveError(NOT_A_ZIP)
    file.seek(size - END_RECORD_SIZE)
    last = file.read(END_RECORD_SIZE)
    if last[:4] == END_RECORD and last[-2:] == b"\0\0":
        at, record = size - END_RECORD_SIZE, last
    else:  # an archive comment follows the record
        start = max(0, size - END_RECORD_SIZE - 0xFFFF)
        file.seek(start)
        tail = file.read()
        found = tail.rfind(END_RECORD)
        if found < 0 or len(tail) - found < END_RECORD_SIZE:
            raise ArchiveError(NOT_A_ZIP)
        at, record = start + found, tail[found : found + END_RECORD_SIZE]
    _sig, disk, disk_of_directory, _here, entries, directory_size, _offset, _comment = struct.unpack(
        END_RECORD_FORMAT, record
    )
    if at >= ZIP64_LOCATOR_SIZE:
        file.seek(at - ZIP64_LOCATOR_SIZE)
        if file.read(4) == ZIP64_LOCATOR:
            raise ArchiveError("the archive is a ZIP64 file, which a Salesfloor archive never is")
    return at, max(disk, disk_of_directory), directory_size, entries


class BoundedZip:
    """The members ``names`` of a ZIP file, each read once as a bounded stream (see the module)."""

    def __init__(self, file: IO[bytes], names: tuple[str, ...], limits: ZipLimits | None = None) -> None:
        self.limits = limits or ZipLimits()
        self.inflated = 0
        size = file.seek(0, 2)
        at, disks, directory_size, entries = _end_record(file, size)
        if disks:
            raise ArchiveError("the archive spans several disks; export it again as one archive.zip")
        if directory_size > self.limits.max_directory_bytes or entries > self.limits.max_entries:
            raise ArchiveError(
                f"the archive lists {entries:,} files in a {_mib(directory_size)} directory;"
                f" a Salesfloor archive has {len(names)}"
            )
        file.seek(0)
        try:
            self._zip = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
            raise ArchiveError(NOT_A_ZIP) from None
        try:
            self._members = self._check(names, directory_start=at - directory_size)
        except BaseException:
            self._zip.close()
            raise

    def _check(self, names: tuple[str, ...], directory_start: int) -> dict[str, zipfile.ZipInfo]:
        listed = self._zip.infolist()
        if len(listed) > self.limits.max_entries:
            raise ArchiveError(
                f"the archive lists {len(listed):,} files; a Salesfloor archive has {len(names)}"
            )
        members: dict[str, zipfile.ZipInfo] = {}
        for info in listed:
            if info.filename in names:
                if info.filename in members:
                    raise ArchiveError(f"the archive holds {info.filename} twice; export it again")
                members[info.filename] = info
        starts = sorted({info.header_offset for info in listed} | {directory_start})
        if len(starts) <= len(listed):  # two entries at one offset, or one at the directory
            raise ArchiveError("two files of the ZIP file start at the same place; the archive is damaged")
        declared = 0
        for name, info in members.items():
            if info.compress_type not in READABLE_METHODS:
                raise ArchiveError(
                    f"{name} is compressed with method {info.compress_type}; an archive's files are"
                    " stored or deflated (export it again, or zip it with the usual ZIP tools)"
                )
            if info.flag_bits & 0x1:
                raise ArchiveError(f"{name} is encrypted; an archive's files are not")
            following = next((s for s in starts if s > info.header_offset), None)
            data_start = info.header_offset + LOCAL_HEADER_SIZE + len(info.orig_filename.encode())
            if following is None or data_start + info.compress_size > following:
                raise ArchiveError(f"{name} overlaps another part of the ZIP file; the archive is damaged")
            self._check_ratio(name, info.file_size, info.compress_size)
            declared += info.file_size
        if declared > self.limits.max_inflated:
            raise ArchiveError(self._too_much(declared))
        return members

    def _too_much(self, size: int) -> str:
        return (
            f"the archive unpacks to {_mib(size)} or more; an archive may unpack to at most"
            f" {_mib(self.limits.max_inflated)}"
        )

    def _check_ratio(self, name: str, inflated: int, compressed: int) -> None:
        limits = self.limits
        if inflated > limits.ratio_grace and inflated > limits.max_ratio * max(compressed, 1):
            raise ArchiveError(
                f"{name} inflates more than {limits.max_ratio} times its compressed size"
                f" ({_mib(compressed)} to {_mib(inflated)} or more): a ZIP bomb, not a Salesfloor archive"
            )

    def __enter__(self) -> BoundedZip:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._zip.close()

    def has(self, name: str) -> bool:
        return name in self._members

    def chunks(self, name: str) -> Iterator[bytes]:
        """The inflated bytes of ``name``, chunk by chunk, counted against the limits as they come."""
        info = self._members.get(name)
        if info is None:
            raise ArchiveError(f"the archive has no {name}; export it again from Salesfloor")
        inflated = 0
        try:
            with self._zip.open(info) as member:
                while True:
                    chunk = member.read(self.limits.chunk)
                    if not chunk:
                        break
                    inflated += len(chunk)
                    self.inflated += len(chunk)
                    if self.inflated > self.limits.max_inflated:
                        raise ArchiveError(self._too_much(self.inflated))
                    self._check_ratio(name, inflated, info.compress_size)
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise ArchiveError(f"{name} is damaged ({exc}); export the archive again") from None

    def read(self, name: str, max_bytes: int) -> bytes:
        """The whole of ``name``, if it is at most ``max_bytes`` long."""
        too_long = f"{name} is larger than {_mib(max_bytes)}, more than any archive's {name}"
        info = self._members.get(name)
        if info is not None and info.file_size > max_bytes:
            raise ArchiveError(too_long)
        data = bytearray()
        for chunk in self.chunks(name):
            data += chunk
            if len(data) > max_bytes:
                raise ArchiveError(too_long)
        return bytes(data)

    def lines(self, name: str) -> Iterator[tuple[int, bytes]]:
        """(number from 1, line) for each line of ``name`` without its line break ("\\n" or "\\r\\n")."""
        max_line = self.limits.max_line
        pending = bytearray()
        number = 0
        for chunk in self.chunks(name):
            pending += chunk
            end = pending.rfind(b"\n")
            if end < 0:
                if len(pending) > max_line:
                    raise ArchiveError(f"{name} line {number + 1} is longer than {_mib(max_line)}")
                continue
            complete = bytes(pending[:end])
            del pending[: end + 1]
            for line in complete.split(b"\n"):
                number += 1
                if len(line) > max_line:
                    raise ArchiveError(f"{name} line {number} is longer than {_mib(max_line)}")
                yield number, line.removesuffix(b"\r")
            if len(pending) > max_line:
                raise ArchiveError(f"{name} line {number + 1} is longer than {_mib(max_line)}")
        if pending:
            yield number + 1, bytes(pending).removesuffix(b"\r")
