"""What the procedures' lists share: narrowing to one parent record and one state, each filter
checked and named when it is not valid (the API and the pages call the same services)."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from atlas_pages.core.feedback import report_refusal


def narrowed(
    queryset: QuerySet, *, field: str, parent: int | str | None, parent_message: Promise, state: str | None, states
) -> QuerySet:
    """``queryset`` of one ``field`` (a call, a campaign: its id) and one state of ``states``, if
    asked; raises ``ValidationError`` naming ``field`` or ``state`` when either is not valid."""
    errors: dict[str, list] = {}
    if parent not in (None, ""):
        if not str(parent).isdigit():
            errors[field] = [parent_message]
        else:
            queryset = queryset.filter(**{f"{field}_id": int(parent)})
    if state:
        if state not in states:
            errors["state"] = [_("Choose one of the states: %(states)s.") % {"states": ", ".join(states)}]
        else:
            queryset = queryset.filter(state=state)
    if errors:
        raise ValidationError(errors)
    return queryset


def listed(
    request: HttpRequest, lister: Callable[..., QuerySet], **filters: str
) -> tuple[QuerySet, dict[str, str], int]:
    """For a page: ``lister(user, **filters)``, the filters kept and 200; or, when a filter is
    refused, the refusal shown as a message, the unfiltered list, empty filters and 400."""
    try:
        return lister(request.user, **filters), filters, 200
    except ValidationError as error:
        report_refusal(request, error)
        return lister(request.user), dict.fromkeys(filters, ""), 400
