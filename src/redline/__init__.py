"""redline: an editorial redundancy and style linter."""

__version__ = "0.1.0"
