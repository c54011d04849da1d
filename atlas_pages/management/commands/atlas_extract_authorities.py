"""Refreshes the shipped list of French local authorities (``atlas_pages/atlas/data/collectivites.csv``)
from Etalab's ``@etalab/decoupage-administratif`` package (MIT):

    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-decoupage-administratif-6.0.0.tgz
    python manage.py atlas_extract_authorities package/data

Current communes (not delegated or associated ones, nor municipal arrondissements), EPCIs,
départements and régions; the README beside the CSV says from which version and when.
"""

import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from atlas_pages.atlas.official import COLUMNS, DATA_FILE


class Command(BaseCommand):
    help = "Extracts the French local authorities from Etalab's decoupage-administratif data folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the package's data/ folder (communes.json, epci.json, …)")

    def handle(self, folder, **options):
        folder = Path(folder)
        try:
            communes = json.loads((folder / "communes.json").read_text(encoding="utf-8"))
            epcis = json.loads((folder / "epci.json").read_text(encoding="utf-8"))
            departements = json.loads((folder / "departements.json").read_text(encoding="utf-8"))
            regions = json.loads((folder / "regions.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the Etalab data in {folder}: {error}") from error
        region_of = {row["code"]: row["region"] for row in departements}
        rows = [("region", row["code"], "", row["nom"], "", row["code"], "") for row in regions]
        rows += [("departement", row["code"], "", row["nom"], row["code"], row["region"], "") for row in departements]
        for row in epcis:
            department = _department_of_members(row, communes)
            rows.append(
                (
                    "epci",
                    row["code"],
                    row["code"],
                    row["nom"],
                    department,
                    region_of.get(department, ""),
                    row.get("populationTotale") or "",
                )
            )
        for row in communes:
            if row.get("type") != "commune-actuelle":
                continue
            rows.append(
                (
                    "commune",
                    row["code"],
                    row.get("siren", ""),
                    row["nom"],
                    row.get("departement", ""),
                    row.get("region", ""),
                    row.get("population") or "",
                )
            )
        with open(DATA_FILE, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(COLUMNS)
            writer.writerows(rows)
        self.stdout.write(f"{len(rows)} authorities written to {DATA_FILE}")


_department_cache: dict[str, str] = {}


def _department_of_members(epci: dict, communes: list[dict]) -> str:
    """An EPCI's département: that of most of its member communes (an EPCI may straddle two)."""
    if not _department_cache:
        _department_cache.update({row["code"]: row.get("departement", "") for row in communes})
    counts: dict[str, int] = {}
    for member in epci.get("membres", []):
        department = _department_cache.get(member["code"], "")
        counts[department] = counts.get(department, 0) + 1
    return max(counts, key=counts.get) if counts else ""  # type: ignore[arg-type]
