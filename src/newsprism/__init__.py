"""newsprism: cross-check many news reports of the same event."""

__version__ = "0.1.0"
