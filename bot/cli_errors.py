"""Errors a user can cause from the command line: one line on stderr, exit code 2."""


class UsageError(Exception):
    """A user error: printed as one line, exit code 2."""
