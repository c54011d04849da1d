"""Verifies the keyed chain of every dossier's history; exits 1 naming each dossier and break.

``--anchor FILE`` keeps the heads of the chains outside the database (a file the database's
users cannot write, on another machine or in the backups): each run refuses a head that went
back since the last one, then writes the current heads. Run it daily from cron.
"""

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from forms import history
from forms.dossiers.models import DossierEvent

_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


class Command(BaseCommand):
    help = "Checks that no entry of the co-financing dossiers' histories was changed, inserted or removed afterwards."

    def add_arguments(self, parser):
        parser.add_argument("--dossier", type=int, action="append", help="Only this dossier (repeatable).")
        parser.add_argument("--anchor", help="A file outside the database keeping the heads of the chains.")

    def handle(self, *args, **options) -> None:
        dossiers = options["dossier"]
        breaks = history.verify(dossiers)
        anchor = Path(options["anchor"]) if options["anchor"] else None
        current = history.heads(dossiers)
        if anchor is not None and anchor.exists():
            breaks += history.went_backwards(self._read(anchor), current)
        for item in breaks:
            self.stderr.write(f"dossier {item.dossier_id}, entry {item.sequence}: {item.reason}")
        if breaks:
            names = ", ".join(str(pk) for pk in sorted({item.dossier_id for item in breaks}))
            raise CommandError(f"{len(breaks)} break(s) in the history of dossier(s) {names}.")
        if anchor is not None:
            self._write(anchor, current)
        entries = DossierEvent.objects.filter(dossier__in=dossiers) if dossiers else DossierEvent.objects.all()
        self.stdout.write(self.style.SUCCESS(f"History intact: {entries.count()} entries checked."))

    @staticmethod
    def _signature(heads: dict) -> str:
        return history.digest(0, 0, _EPOCH, "anchor", "heads", heads, False, "")

    def _read(self, path: Path) -> dict[int, tuple[int, str]]:
        try:
            data = json.loads(path.read_text())
            heads = {str(pk): value for pk, value in data["heads"].items()}
            if data.get("signature") != self._signature(heads):
                raise ValueError("signature")
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"The anchor {path} cannot be trusted ({error}).") from error
        return {int(pk): (value[0], value[1]) for pk, value in heads.items()}

    def _write(self, path: Path, current: dict[int, tuple[int, str]]) -> None:
        heads = {str(pk): [sequence, value] for pk, (sequence, value) in current.items() if sequence}
        temporary = path.with_suffix(path.suffix + ".tmp")
        temporary.write_text(json.dumps({"heads": heads, "signature": self._signature(heads)}, sort_keys=True))
        os.replace(temporary, path)
