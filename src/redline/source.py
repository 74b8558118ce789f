"""Reading a file's bytes into text, with the reason when that cannot be done.

UTF-8 is expected; a UTF-8 BOM is accepted and dropped from the text, and files with a
UTF-16 or UTF-32 BOM are decoded as such. The encoding is remembered so that ``--fix``
writes the file back exactly as it was, edits aside.
"""

from __future__ import annotations

import codecs
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
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SourceError(
            f"not valid {encoding.upper().replace('-SIG', '')}: byte 0x{data[error.start]:02x} "
            f"at offset {error.start} (line {line}); redline reads UTF-8 text"
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise SourceError(f"binary file (NUL character at offset {nul}); not linted")
    return Source(path, text, encoding)


def read_source(path: str) -> Source:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise SourceError("no such file") from None
    except IsADirectoryError:
        raise SourceError("is a directory") from None
    except PermissionError:
        raise SourceError("permission denied") from None
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror or error}") from None
    return decode(path, data)
