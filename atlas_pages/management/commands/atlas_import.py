"""Reads Atlas CSV files: every row is checked first, and nothing is written if one is wrong."""

from django.core.management.base import BaseCommand, CommandError

from atlas_pages.atlas.csv_files import KINDS, import_csv


class Command(BaseCommand):
    help = "Import authorities, partners or projects from CSV (import them in that order)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file")

    def handle(self, *args, kind, file, **options):
        with open(file, newline="", encoding="utf-8-sig") as stream:
            result = import_csv(kind, stream)
        if result.faults:
            for fault in result.faults:
                self.stderr.write(f"{file}: {fault}")
            raise CommandError(f"{len(result.faults)} error(s): nothing was imported.")
        self.stdout.write(f"{kind}: {result.created} created, {result.updated} updated.")
