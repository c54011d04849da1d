"""Reminds local authorities of the reports their funded dossiers owe (run it daily)."""

from django.core.management.base import BaseCommand

from forms.dossiers.followup import remind_reports


class Command(BaseCommand):
    help = (
        "E-mails the filing authority a week before a report is due, and again (with the CNCD's "
        "mailbox) once it is overdue; each reminder once."
    )

    def handle(self, *args, **options) -> None:
        count = remind_reports()
        self.stdout.write(f"{count} reminder(s) sent.")
