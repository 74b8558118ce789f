"""Which files a run lints: named files as given, folders walked for known extensions."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from redline.config import ConfigError
from redline.markup import EXTENSIONS
from redline.results import FileError, RunResult
from redline.selection import glob_matches, resolved
from redline.settings import Resolver


def expand(paths: Iterable[str], resolver: Resolver, result: RunResult) -> Iterator[str]:
    """Files to lint; a missing path or an unreadable folder is recorded in ``result``."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path, resolver, result)
        elif path.exists() or path.is_symlink():
            yield raw
        else:
            result.errors.append(FileError(raw, "no such file or directory"))


def _walk(root: Path, resolver: Resolver, result: RunResult) -> Iterator[str]:
    try:
        config = resolver.config_for(root)
    except ConfigError as error:  # its excludes are unknown: walk nothing, report the config
        result.add_error(FileError(error.path, error.message, error.line))
        return
    excluded = config.exclude + config.extend_exclude

    def unlisted(error: OSError) -> None:  # os.walk skips a folder it cannot list: say so
        reason = error.strerror.lower() if error.strerror else str(error)
        result.errors.append(FileError(str(error.filename or root), f"cannot list folder: {reason}"))

    for directory, subdirs, files in os.walk(root, onerror=unlisted):
        base = Path(directory)
        subdirs[:] = sorted(d for d in subdirs if not excluded_path(base / d, d, excluded, config.root))
        for name in sorted(files):
            if Path(name).suffix.lower() in EXTENSIONS and not excluded_path(
                base / name, name, excluded, config.root
            ):
                yield str(base / name)


def excluded_path(path: Path, name: str, patterns: list[str], root: Path) -> bool:
    """Whether ``exclude`` patterns drop ``path``: bare names match any part, paths match from the root."""
    if any(fnmatch.fnmatchcase(name, p) for p in patterns if "/" not in p):
        return True
    try:
        relative = resolved(path).relative_to(root.resolve()).as_posix()
    except ValueError:
        return False
    return any(glob_matches(p, relative) for p in patterns if "/" in p)
