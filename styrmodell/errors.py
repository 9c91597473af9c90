"""The domain error services raise; its message is Swedish and shown to the user as it is."""

from django.http import Http404


class DomainError(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotApplicable(Http404):
    """An address that names something real but nothing one can do there now (a step that
    does not apply to the case, or not in its state): 404 with a Swedish explanation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
