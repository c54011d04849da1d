"""Warns members whose account is unused, then deletes those who did not come back (cron, daily)."""

from django.core.management.base import BaseCommand

from extranet.retention import prune


class Command(BaseCommand):
    help = "Warns unused members' accounts by e-mail, and deletes those still unused after the notice period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be done, do nothing.")

    def handle(self, *args, **options) -> None:
        done = prune(dry_run=options["dry_run"])
        prefix = "would be " if options["dry_run"] else ""
        self.stdout.write(f"{len(done.warned)} account(s) {prefix}warned, {len(done.deleted)} {prefix}deleted.")
        for username in done.deleted:
            self.stdout.write(f"  {prefix}deleted: {username}")
