"""The member's own ordered lists (selection, albums, maps in an album): one way to move an
item, the others following, and to close the gap an item leaves."""

from django.db import models
from django.db.models import F, Max


def next_position(siblings: models.QuerySet) -> int:
    """The place after the last item of the list."""
    return (siblings.aggregate(last=Max("position"))["last"] or 0) + 1


def move(siblings: models.QuerySet, item: models.Model, position: int) -> None:
    """Puts ``item`` at ``position`` (1 = first) and renumbers the list in one update; the
    rows are locked so that two moves at once cannot give two items the same place.
    Call inside a transaction."""
    ordered = list(siblings.select_for_update().order_by("position", "pk"))
    ordered = [other for other in ordered if other.pk != item.pk]
    ordered.insert(max(0, min(position - 1, len(ordered))), item)
    for number, other in enumerate(ordered, start=1):
        other.position = number
    type(item).objects.bulk_update(ordered, ["position"])


def close_gap(siblings: models.QuerySet, removed_position: int) -> None:
    """After an item left the list, the ones after it move up by one."""
    siblings.filter(position__gt=removed_position).update(position=F("position") - 1)
