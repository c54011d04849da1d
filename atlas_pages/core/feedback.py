"""A service's refusal shown to a member of the front end, for every app's pages: the message of
a domain error, or each message of a ``ValidationError``, above the page they are sent back to."""

from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from atlas_pages.core.exceptions import DomainError


def report_refusal(request: HttpRequest, error: DomainError | ValidationError) -> None:
    if isinstance(error, DomainError):
        messages.error(request, str(error.message))
        return
    for field_messages in error.message_dict.values():
        for message in field_messages:
            messages.error(request, str(message))


@contextmanager
def refusals_as_messages(request: HttpRequest):
    """Runs the block; a refusal becomes messages instead of an error page."""
    try:
        yield
    except (DomainError, ValidationError) as error:
        report_refusal(request, error)


def errors_on_form(error: ValidationError, form) -> None:
    """Each message of a service's ``ValidationError`` next to its field of the form (above the
    form when the form has no such field)."""
    for name, field_messages in error.message_dict.items():
        for message in field_messages:
            form.add_error(name if name in form.fields else None, message)
