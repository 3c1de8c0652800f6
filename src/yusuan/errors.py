"""Errors that stop reading. Everything else a reader notices becomes data (a warning or a finding)."""

from __future__ import annotations


class YusuanError(Exception):
    """Base class. `message` is a one-line Chinese sentence meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(YusuanError):
    """The input cannot be read as a disclosure at all (CLI exit code 2).

    Raised for empty, binary, undecodable, corrupt or encrypted files and for files that
    are not budget disclosures. The message names the file's problem in one line.
    """


class ProfileError(YusuanError):
    """A template profile file is invalid (a packaging or authoring error, not user input)."""


class OutputError(YusuanError):
    """An output path cannot be written safely (a device, a directory, no permission)."""
