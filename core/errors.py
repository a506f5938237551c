"""Errors a user can cause. Pages and the CLI show their message, never a traceback."""


class TrainboardError(Exception):
    """Base of every error whose message is written for the user (one line)."""


class DataError(TrainboardError):
    """A dataset, file or upload cannot be used; the message names the file or field."""


class DownloadError(DataError):
    """A download failed after its retries, or its checksum did not match."""


class SpecError(TrainboardError):
    """A preprocessing spec that cannot be used; the message names the field and what is allowed."""


class DataDirError(TrainboardError):
    """The data folder (TRAINBOARD_HOME) or a folder in it cannot be used: a file is in the way, or it is
    read-only; the message names the path."""
