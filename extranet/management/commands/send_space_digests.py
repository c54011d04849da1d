"""Queues the weekly e-mails of the thematic spaces for the worker (cron, daily)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from extranet.spaces.digest import due_users
from extranet.tasks import send_space_digests


class Command(BaseCommand):
    help = (
        "Queues for the worker the weekly e-mails of the thematic spaces: to each member who follows a "
        "space or a discussion, once a week at most, only when something is new. Running it twice sends "
        "nothing twice."
    )

    def handle(self, *args, **options) -> None:
        waiting = len(due_users(timezone.now()))
        send_space_digests.enqueue()
        self.stdout.write(f"{waiting} member(s) due: queued for the worker.")
