"""The history entries of a declaration or a census entry, as the API gives them."""

from datetime import datetime

from ninja import Schema


class HistoryEventOut(Schema):
    at: datetime
    who: str
    action: str
    action_label: str
    detail: str


def events_out(events) -> list[dict]:
    """``events``: rows with ``at``, ``actor``, ``action`` (a choice) and ``detail``."""
    return [
        {
            "at": event.at,
            "who": (event.actor.get_full_name() or event.actor.email) if event.actor else "",
            "action": event.action,
            "action_label": str(event.get_action_display()),
            "detail": event.detail,
        }
        for event in events
    ]
