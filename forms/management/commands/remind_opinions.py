"""Reminds embassies, prefectures and ministries of the opinions they owe (run it daily)."""

from django.core.management.base import BaseCommand

from forms.dossiers.services import remind_opinions


class Command(BaseCommand):
    help = "E-mails a reminder for every opinion due within a few days or overdue (once a day at most)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="Remind this many days before the due date.")

    def handle(self, *args, **options) -> None:
        count = remind_opinions(options["days"])
        self.stdout.write(f"{count} reminder(s) sent.")
