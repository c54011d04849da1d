"""Run daily (cron, or a systemd timer): deletes the webhook deliveries that are settled
(delivered, or given up) and older than ``--min-age-days``, with their attempts; those waiting
or being retried stay whatever their age."""

from django.core.management.base import BaseCommand, CommandError

from atlas_pages.core.webhooks import services


class Command(BaseCommand):
    help = "Deletes settled webhook deliveries (delivered or given up) older than --min-age-days, with their attempts."

    def add_arguments(self, parser):
        parser.add_argument("--min-age-days", type=int, default=30)

    def handle(self, *args, min_age_days, **options):
        if min_age_days < 1:
            raise CommandError("--min-age-days must be at least 1.")
        self.stdout.write(f"{services.prune(min_age_days)} webhook delivery(ies) deleted.")
