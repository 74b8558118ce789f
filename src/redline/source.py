"""Reading a file's bytes into text, with the reason when that cannot be done.

UTF-8 is expected; a UTF-8 BOM is accepted and dropped from the text, and files with a
UTF-16 or UTF-32 BOM are decoded as such. The encoding is remembered so that ``--fix``
writes the file back exactly as it was, edits aside.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class SourceError(Exception):
    """The file cannot be linted; the message says why, without the path."""


@dataclass(frozen=True)
class Source:
    path: str
    text: str
    encoding: str  # the codec that reproduces the file's bytes from ``text``


def decode(path: str, data: bytes) -> Source:
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            break
    nul = data.find(b"\x00") if encoding.startswith("utf-8") else -1
    if nul >= 0:  # before decoding: a binary file is named as such, not as bad UTF-8
        raise SourceError(f"binary file (NUL byte at offset {nul}); not linted")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        # utf-8-sig counts from after the BOM it drops; utf-16 and utf-32 from the file's start.
        start = error.start + (len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0)
        line = data[:start].decode(encoding, "replace").count("\n") + 1
        raise SourceError(
            f"not valid {encoding.upper().replace('-SIG', '')}: byte 0x{data[start]:02x} "
            f"at offset {start} (line {line}); redline reads UTF-8 text"
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise SourceError(f"binary file (NUL character at offset {nul}); not linted")
    return Source(path, text, encoding)


def read_source(path: str, max_bytes: int | None = None) -> Source:
    """Read and decode ``path``; files over ``max_bytes`` (None: no limit) are refused."""
    return decode(path, read_regular(path, max_bytes))


def read_regular(
    path: str | os.PathLike[str],
    max_bytes: int | None,
    *,
    limit: str = "max-file-size",
    refused: str = "not linted",
) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``max_bytes`` (None: no limit).

    The guards every file redline reads goes through (input files, configs, rule packs):
    the open does not block (a FIFO without a writer), devices, FIFOs and sockets are
    refused before a byte is read (``/dev/zero`` would never end), and at most
    ``max_bytes + 1`` bytes are read even if the file grows meanwhile. Problems are a
    :class:`SourceError` whose message says why; ``limit`` names the size limit and
    ``refused`` what happens to the file ("not linted").
    """
    tail = f"; {refused}" if refused else ""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer (a hook must never hang).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(path)
            if not stat.S_ISREG(info.st_mode):
                raise SourceError(f"not a regular file ({_file_kind(info.st_mode)}){tail}")
            if max_bytes is not None and info.st_size > max_bytes:
                raise SourceError(f"{info.st_size:,} bytes is over {limit} ({max_bytes:,} bytes){tail}")
            data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
            if max_bytes is not None and len(data) > max_bytes:
                raise SourceError(f"it grew over {limit} ({max_bytes:,} bytes) while being read{tail}")
    except FileNotFoundError:
        broken = os.path.islink(path)
        raise SourceError("broken symbolic link" if broken else "no such file") from None
    except IsADirectoryError:
        raise SourceError("is a directory") from None
    except PermissionError:
        raise SourceError("permission denied") from None
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror or error}") from None
    return data


def _file_kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"))
    return next((name for test, name in kinds if test(mode)), "a block device")
