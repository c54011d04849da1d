"""Marks addresses bounced (or, with --complaints, complained) from a file: one address per
line, or a CSV whose first column (or ``email`` column) holds them."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsletter import services


class Command(BaseCommand):
    help = "Marks the addresses of a file bounced or complained: no letter goes to them again."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--complaints", action="store_true", help="The addresses complained (spam).")

    def handle(self, file: Path, complaints: bool, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        with file.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        if rows and "email" in [cell.strip().lower() for cell in rows[0]]:
            column = [cell.strip().lower() for cell in rows[0]].index("email")
            rows = rows[1:]
        else:
            column = 0
        addresses = [row[column].strip() for row in rows if len(row) > column and "@" in row[column]]
        marked = services.mark_undeliverable(addresses, complaint=complaints)
        state = "complained" if complaints else "bounced"
        self.stdout.write(f"{marked} of {len(addresses)} address(es) marked {state}.")
