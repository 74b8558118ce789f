"""redline: an editorial redundancy and style linter."""

__version__ = "0.1.0"

#: The subcommands; any other first argument is a path (``redline FILES`` is ``redline check FILES``).
SUBCOMMANDS = frozenset({"check", "rules", "explain", "report", "lsp", "server", "archive"})
