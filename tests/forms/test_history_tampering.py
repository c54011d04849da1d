"""The dossiers' history shows every tampering, even by someone who can write to the database:
an entry changed, inserted, or removed (in the middle, at the end, or all of them), a chain
recomputed without the key, or rolled back since the anchor kept outside the database."""

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from forms import history
from forms.models import Dossier, DossierEvent
from tests.forms.conftest import COMPLETE
from tests.forms.test_dossier_visibility import create, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(people, call):
    """Created, filed, taken under review: three entries; and an untouched second dossier."""
    item = create(people.lyon, call, **COMPLETE)
    submit(people.lyon, item)
    people.staff.post(f"/api/dossiers/{item['id']}/review/", {"version": 2}, content_type="application/json")
    other = create(people.rennes, call, **{**COMPLETE, "title": "Patrimoine de Hué", "partner_country": "VN"})
    assert DossierEvent.objects.filter(dossier_id=item["id"]).count() == 3
    return Dossier.objects.get(pk=item["id"]), Dossier.objects.get(pk=other["id"])


def check(capsys, *args) -> tuple[bool, str]:
    try:
        call_command("check_dossier_history", *args)
    except CommandError as error:
        return False, capsys.readouterr().err + str(error)
    return True, capsys.readouterr().out


def test_an_intact_history_checks_and_the_head_follows_the_last_entry(dossier, capsys):
    first, _other = dossier
    ok, out = check(capsys)
    assert ok and "History intact" in out
    last = first.events.order_by("-sequence").first()
    assert (first.history_head_sequence, first.history_head_hash) == (last.sequence, last.hash)


def test_deleting_the_last_entry_with_sql_is_detected(dossier, capsys):
    first, other = dossier
    last = first.events.order_by("-sequence").first()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {DossierEvent._meta.db_table} WHERE id = %s", [last.pk])
    ok, err = check(capsys)
    assert not ok
    assert f"dossier {first.pk}, entry 3: entries after 2 were removed" in err
    assert f"dossier(s) {first.pk}." in err and f"dossier {other.pk}," not in err


def test_deleting_every_entry_is_detected(dossier, capsys):
    first, _other = dossier
    first.events.all().delete()
    ok, err = check(capsys)
    assert not ok and f"dossier {first.pk}, entry 3: every entry was removed" in err


def test_an_entry_rewritten_with_a_plain_sha256_chain_recomputed_is_detected(dossier, capsys):
    """The attacker rewrites entry 2 and recomputes every hash after it as the old code did, and
    moves the head: without the key, no hash checks."""
    first, _other = dossier
    events = list(first.events.order_by("sequence"))
    events[1].actor_name = "Quelqu'un d'autre"
    previous = events[0].hash
    for event in events[1:]:
        event.previous_hash = previous
        content = json.dumps(
            [event.dossier_id, event.sequence, event.at.isoformat(), event.actor_name, event.action, event.detail,
             event.confidential, event.previous_hash],
            sort_keys=True, ensure_ascii=False, default=str,
        )  # fmt: skip
        event.hash = previous = hashlib.sha256(content.encode()).hexdigest()
        event.save()
    Dossier.objects.filter(pk=first.pk).update(history_head_hash=previous)
    ok, err = check(capsys)
    assert not ok
    assert f"dossier {first.pk}, entry 2: content changed after it was written" in err
    assert f"dossier {first.pk}, entry 3: content changed after it was written" in err


def test_an_inserted_entry_is_detected(dossier, capsys):
    first, _other = dossier
    last = first.events.order_by("-sequence").first()
    DossierEvent.objects.create(
        dossier=first, sequence=4, at=last.at, actor_name="X", action="decided", detail={}, previous_hash=last.hash,
        hash="0" * 64,
    )  # fmt: skip
    Dossier.objects.filter(pk=first.pk).update(history_head_sequence=4, history_head_hash="0" * 64)
    ok, err = check(capsys)
    assert not ok and f"dossier {first.pk}, entry 4: content changed after it was written" in err


def test_another_key_does_not_check(dossier, capsys):
    with override_settings(CNCD_HISTORY_KEY="une-autre-clef-que-celle-qui-a-signe-l-historique"):
        ok, err = check(capsys)
    assert not ok and "content changed after it was written" in err


def test_the_anchor_outside_the_database_shows_a_rollback_of_the_head(dossier, capsys, tmp_path):
    """Removing the last entry and putting the head back on the one before leaves a chain that
    checks on its own; the anchor written by the previous run does not agree."""
    first, _other = dossier
    anchor = tmp_path / "heads.json"
    assert check(capsys, "--anchor", str(anchor))[0]
    assert json.loads(anchor.read_text())["heads"][str(first.pk)][0] == 3

    events = list(first.events.order_by("sequence"))
    events[-1].delete()
    Dossier.objects.filter(pk=first.pk).update(history_head_sequence=2, history_head_hash=events[1].hash)
    assert history.verify() == []  # consistent in the database alone
    ok, err = check(capsys, "--anchor", str(anchor))
    assert not ok and f"dossier {first.pk}, entry 3: the history went back to entry 2 since the anchor" in err


def test_a_forged_anchor_is_refused(dossier, capsys, tmp_path):
    anchor = tmp_path / "heads.json"
    anchor.write_text(json.dumps({"heads": {}, "signature": "0"}))
    ok, err = check(capsys, "--anchor", str(anchor))
    assert not ok and "cannot be trusted" in err


def test_deleting_the_authors_account_keeps_the_chain(dossier, people, capsys):
    people.users.lyon.delete()
    assert check(capsys)[0]
