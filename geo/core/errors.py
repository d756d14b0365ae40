"""The error every data loader raises for a bad input file."""


class DataError(ValueError):
    """A dataset file is missing or malformed; the message names the file, row and problem."""
