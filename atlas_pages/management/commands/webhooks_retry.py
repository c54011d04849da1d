"""Run every minute (cron, or a systemd timer): queues the webhook deliveries whose retry is due
(the task backend cannot always wait for them), and those a crash or a dead worker left."""

from django.core.management.base import BaseCommand

from atlas_pages.core.webhooks import services


class Command(BaseCommand):
    help = "Queues the webhook deliveries that are due (retries, and what a dead worker left)."

    def handle(self, **options):
        self.stdout.write(f"{services.retry_due()} webhook delivery(ies) queued.")
