"""redline: an editorial redundancy and style linter."""

__version__ = "0.1.0"

#: The subcommands; any other first argument is a path (``redline FILES`` is ``redline check FILES``).
SUBCOMMANDS = frozenset({"check", "rules", "explain", "report", "lsp", "server", "archive"})


def with_default_command(args: list[str]) -> list[str]:
    """``redline FILES`` means ``redline check FILES``."""
    if not args or (args[0] not in SUBCOMMANDS and args[0] not in {"--help", "-h", "--version"}):
        return ["check", *args]
    return args
