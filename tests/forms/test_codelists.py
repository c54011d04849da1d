"""The e-APD codes are checked against the OECD DAC codelists shipped in the repository, and
a refusal says why, in the member's language."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from forms.apd import codelists


def refusal(kind, code) -> str:
    with pytest.raises(ValidationError) as raised:
        codelists.check(kind, code, "purpose_code")
    [message] = raised.value.message_dict["purpose_code"]
    return message


def test_known_codes_give_their_french_names():
    with translation.override("fr"):
        assert codelists.check("purpose", "14030", "purpose_code").name == (
            "Approvisionnement en eau potable et assainissement - dispositifs de base"
        )
        assert codelists.check("aid_type", "c01", "aid_type").name_en == "Project-type interventions"
        assert codelists.check("policy_significance", "2", "marker").name_en == "principal objective"
    with translation.override("en"):
        assert codelists.check("purpose", "43030", "purpose_code").name == "Urban development and management"


def test_unknown_and_withdrawn_codes_are_refused_with_the_reason():
    with translation.override("fr"):
        assert refusal("purpose", "99999") == (
            "Code objet (secteur du CAD, 5 chiffres) : 99999 ne figure pas dans la liste de l’OCDE."
        )
        assert refusal("purpose", "11321") == (
            "11321 (Premier cycle de l'enseignement secondaire) a été retiré par l’OCDE : "
            "choisissez le code qui le remplace."
        )
        assert refusal("policy_significance", "7") == "Marqueur : 7 ne figure pas dans la liste de l’OCDE."
    with translation.override("en"):
        assert refusal("purpose", "") == "Purpose code (DAC sector, 5 digits): — is not in the OECD's list."


def test_the_lists_hold_what_the_oecd_publishes():
    purposes = codelists.codelist("purpose")
    assert len(purposes) == 326 and all(len(code) == 5 and code.isdigit() for code in purposes)
    categories = codelists.codelist("sector_category")
    assert all(item.category == code[:3] and item.category in categories for code, item in purposes.items())
    assert {"A01", "B01", "C01", "D01", "D02", "E01", "G01", "H01"} <= set(codelists.codelist("aid_type"))
    assert set(codelists.codelist("policy_significance")) == {"0", "1", "2", "3"}
    choices = dict(codelists.choices("purpose"))
    assert "11321" not in choices and choices["99810"].startswith("99810 — ")
