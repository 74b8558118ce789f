"""The file an editor buffer lints as, for the language server and its lean start."""

from __future__ import annotations

from pathlib import Path

_LANGUAGE_SUFFIX = {"markdown": ".md", "restructuredtext": ".rst", "rst": ".rst", "plaintext": ".txt"}


def path_of(uri: str, language: str | None) -> Path:
    """The buffer's path, or an untitled one whose suffix follows the editor's language id."""
    from pygls.uris import to_fs_path

    from redline.markup import EXTENSIONS

    path = Path(to_fs_path(uri) or f"untitled{_LANGUAGE_SUFFIX.get(language or '', '.md')}")
    if path.suffix.lower() not in EXTENSIONS and language in _LANGUAGE_SUFFIX:
        path = path.with_name(path.name + _LANGUAGE_SUFFIX[language])
    return path.absolute()
