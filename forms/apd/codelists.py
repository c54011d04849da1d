"""The OECD DAC codelists the e-APD declaration is checked against, read from the CSV files of
``forms/data/codelists`` (their source, commit and date in its README), once per process.

``check(kind, code)`` answers what a member typing a code needs to know: the code's name in
French (English where the OECD gives no French), or why it is refused — unknown, or withdrawn
by the OECD — in words.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from atlas_pages.core.countries import country_name

FOLDER = Path(__file__).resolve().parent / "data" / "codelists"
FILES = {
    "purpose": "dac_purpose_codes.csv",
    "sector_category": "dac_sector_categories.csv",
    "aid_type": "aid_types.csv",
    "channel": "crs_channel_codes.csv",
    "finance_type": "finance_types.csv",
    "flow_type": "flow_types.csv",
    "policy_significance": "policy_significance.csv",
    "recipient": "dac_recipients.csv",
}
# What is declared for spending no recipient country can be given (in France, for instance).
UNALLOCATED = "998"
KIND_LABELS = {
    "purpose": _("Purpose code (DAC sector, 5 digits)"),
    "sector_category": _("Sector category"),
    "aid_type": _("Type of aid"),
    "channel": _("Channel of delivery"),
    "finance_type": _("Type of finance"),
    "flow_type": _("Type of flow"),
    "policy_significance": _("Policy marker"),
    "recipient": _("Recipient country"),
}


@dataclass(frozen=True)
class Code:
    code: str
    name_en: str
    name_fr: str
    category: str = ""
    withdrawn: bool = False

    @property
    def name(self) -> str:
        """In the active language, English where the OECD gives no French."""
        french = (get_language() or "fr").startswith("fr")
        if french and self.name_fr:
            return self.name_fr
        if french and len(self.code) == 2:  # a recipient country: ISO 3166's French name
            return country_name(self.code, "fr") or self.name_en
        return self.name_en


@cache
def codelist(kind: str) -> dict[str, Code]:
    with (FOLDER / FILES[kind]).open(encoding="utf-8", newline="") as handle:
        codes = {
            row["code"]: Code(
                code=row["code"],
                name_en=row["name_en"],
                name_fr=row.get("name_fr", ""),
                category=row.get("category", ""),
                withdrawn=row.get("status") == "withdrawn",
            )
            for row in csv.DictReader(handle)
        }
    if kind == "recipient":
        codes[UNALLOCATED] = Code(
            UNALLOCATED, "Developing countries, unspecified", "Pays en développement, non spécifié", "unallocated"
        )
    return codes


def check(kind: str, code: str, field: str) -> Code:
    """The code if it may be declared; else a ``ValidationError`` naming ``field`` and saying why."""
    code = (code or "").strip().upper() if kind in ("aid_type", "recipient") else (code or "").strip()
    found = codelist(kind).get(code)
    label = KIND_LABELS[kind]
    if found is None and kind == "recipient" and country_name(code):
        raise ValidationError(
            {
                field: [
                    _(
                        "%(name)s is not on the OECD DAC list of ODA recipients: spending there is not "
                        "development assistance."
                    )
                    % {"name": country_name(code)}
                ]
            }
        )
    if found is None:
        raise ValidationError(
            {field: [_("%(kind)s: %(code)s is not in the OECD's list.") % {"code": code or "—", "kind": label}]}
        )
    if found.withdrawn:
        raise ValidationError(
            {
                field: [
                    _("%(code)s (%(name)s) has been withdrawn by the OECD: choose the code that replaces it.")
                    % {"code": code, "name": found.name}
                ]
            }
        )
    return found


def choices(kind: str) -> list[tuple[str, str]]:
    """The codes that may be declared, for a list to choose from."""
    return [(item.code, f"{item.code} — {item.name}") for item in codelist(kind).values() if not item.withdrawn]
