"""Domain errors shared by every app (they may all import atlas_pages).

A service raises one of these; the API maps it once to its HTTP status and the front end
shows its message. Subclass them per rule (``class DossierClosed(Conflict)``).
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status_code = 400
    default_message = _("This request cannot be processed.")

    def __init__(self, message: str | Promise | None = None, *, field: str | None = None) -> None:
        self.message = message or self.default_message
        self.field = field
        super().__init__(self.message)


class NotAuthenticated(DomainError):
    status_code = 401
    default_message = _("You must log in to do this.")


class Forbidden(DomainError):
    status_code = 403
    default_message = _("You are not allowed to do this.")


class NotFound(DomainError):
    status_code = 404
    default_message = _("Not found.")


class Conflict(DomainError):
    status_code = 409
    default_message = _("This conflicts with the current state; reload and try again.")


class TooManyRequests(DomainError):
    status_code = 429
    default_message = _("Too many requests: try again later.")
