"""Domain errors raised by services and loaders; views and CLI verbs turn them into messages."""


class DomainError(Exception):
    """A business rule refused the operation; `str(error)` is safe to show to the actor."""


class ImportProblem(DomainError):
    """A data file cannot be loaded.

    Attributes:
        source (str): file name (or package table) that holds the problem.
        row (int | None): 1-based line number in the file (the header is line 1), or None
            when the problem concerns the whole file.
        field (str | None): column name, or None.
        reason (str): why the value is refused.
    """

    def __init__(
        self, *, source: str, reason: str, row: int | None = None, field: str | None = None
    ) -> None:
        self.source, self.row, self.field, self.reason = source, row, field, reason
        where = source
        if row is not None:
            where += f", row {row}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {reason}")
