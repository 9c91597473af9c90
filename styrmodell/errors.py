"""The domain error services raise; its message is Swedish and shown to the user as it is."""


class DomainError(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
