"""Writes the Atlas as CSV (columns documented in atlas_pages/atlas_csv.py and the README)."""

from django.core.management.base import BaseCommand

from atlas_pages.atlas.csv_files import KINDS, export


class Command(BaseCommand):
    help = "Export the Atlas's authorities, partners or projects as CSV."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, kind, output, **options):
        if output:
            with open(output, "w", newline="", encoding="utf-8") as stream:
                count = export(kind, stream)
            self.stderr.write(f"{count} {kind} → {output}")
        else:
            export(kind, self.stdout)
