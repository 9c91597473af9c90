"""The domain error services raise; its message is Swedish and shown to the user as it is."""

from __future__ import annotations

from django.http import Http404


class DomainError(Exception):
    """One refusal, or several at once (`errors`: field and message each) when a service checks
    a whole form, so the user hears every problem in one go."""

    def __init__(self, message: str, field: str | None = None, *,
                 errors: list[tuple[str | None, str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self._errors = errors

    @property
    def errors(self) -> list[tuple[str | None, str]]:
        return list(self._errors) if self._errors else [(self.field, self.message)]

    @classmethod
    def raise_any(cls, errors: list[tuple[str | None, str]]) -> None:
        """Raise one error carrying all of these, if there are any."""
        if errors:
            raise cls(" ".join(message for _, message in errors), errors[0][0],
                      errors=errors)


class NotApplicable(Http404):
    """An address that names something real but nothing one can do there now (a step that
    does not apply to the case, or not in its state): 404 with a Swedish explanation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
