"""Queues the weekly e-mails of the members' Atlas search alerts for the worker (cron, daily)."""

from django.core.management.base import BaseCommand

from extranet.alerts import due
from extranet.tasks import send_due_alerts


class Command(BaseCommand):
    help = (
        "Queues for the worker the e-mails of the Atlas search alerts that are due (one a week at most, "
        "only when something is new). Running it twice sends nothing twice."
    )

    def handle(self, *args, **options) -> None:
        waiting = due().count()
        send_due_alerts.enqueue()
        self.stdout.write(f"{waiting} alert(s) due: queued for the worker.")
