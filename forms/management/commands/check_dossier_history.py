"""Verifies the hash chain of every dossier's history; exits 1 naming each break."""

from django.core.management.base import BaseCommand, CommandError

from forms.history import verify
from forms.models import DossierEvent


class Command(BaseCommand):
    help = "Checks that no entry of the co-financing dossiers' histories was changed or removed afterwards."

    def add_arguments(self, parser):
        parser.add_argument("--dossier", type=int, action="append", help="Only this dossier (repeatable).")

    def handle(self, *args, **options) -> None:
        dossiers = options["dossier"]
        breaks = verify(dossiers)
        for item in breaks:
            self.stderr.write(f"dossier {item.dossier_id}, entry {item.sequence}: {item.reason}")
        if breaks:
            raise CommandError(f"{len(breaks)} break(s) in the dossiers' history.")
        entries = DossierEvent.objects.filter(dossier__in=dossiers) if dossiers else DossierEvent.objects.all()
        self.stdout.write(self.style.SUCCESS(f"History intact: {entries.count()} entries checked."))
