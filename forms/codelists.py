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

FOLDER = Path(__file__).resolve().parent / "data" / "codelists"
FILES = {
    "purpose": "dac_purpose_codes.csv",
    "sector_category": "dac_sector_categories.csv",
    "aid_type": "aid_types.csv",
    "channel": "crs_channel_codes.csv",
    "finance_type": "finance_types.csv",
    "flow_type": "flow_types.csv",
    "policy_significance": "policy_significance.csv",
}
KIND_LABELS = {
    "purpose": _("Purpose code (DAC sector, 5 digits)"),
    "sector_category": _("Sector category"),
    "aid_type": _("Type of aid"),
    "channel": _("Channel of delivery"),
    "finance_type": _("Type of finance"),
    "flow_type": _("Type of flow"),
    "policy_significance": _("Policy marker"),
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
        if (get_language() or "fr").startswith("fr") and self.name_fr:
            return self.name_fr
        return self.name_en


@cache
def codelist(kind: str) -> dict[str, Code]:
    with (FOLDER / FILES[kind]).open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: Code(
                code=row["code"],
                name_en=row["name_en"],
                name_fr=row.get("name_fr", ""),
                category=row.get("category", ""),
                withdrawn=row.get("status") == "withdrawn",
            )
            for row in csv.DictReader(handle)
        }


def check(kind: str, code: str, field: str) -> Code:
    """The code if it may be declared; else a ``ValidationError`` naming ``field`` and saying why."""
    code = (code or "").strip().upper() if kind == "aid_type" else (code or "").strip()
    found = codelist(kind).get(code)
    label = KIND_LABELS[kind]
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
