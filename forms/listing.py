"""What the procedures' lists share: narrowing to one parent record and one state, each filter
checked and named when it is not valid (the API and the pages call the same services)."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


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
