"""After the decision: the agreement signed by both sides, payment tranches requested, checked
and paid without ever exceeding the grant, reports filed and reviewed, reminders, and closure
with what is to be recovered; as the authority, the embassy, the prefecture and staff act."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from forms.dossiers import followup
from forms.models import DueReport
from tests.forms.test_dossier_lifecycle import filed, post

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def put(client, path, body):
    return client.put(path, body, content_type="application/json")


def pdf_file(name="justificatif.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def accepted(people, call) -> dict:
    dossier = filed(people.lyon, call)
    response = post(
        people.staff,
        f"/api/dossiers/{dossier['id']}/decision/",
        {"version": dossier["version"], "decision": "accepted", "motivation": "Projet solide."},
    )
    assert response.status_code == 200, response.content
    return response.json()


AGREEMENT = {
    "amount": "40000",
    "conditions": "Mention du soutien de l'État sur les supports.",
    "tranches": [
        {"label": "Avance", "amount": "16000", "date": (TODAY + dt.timedelta(days=30)).isoformat()},
        {"label": "Solde", "amount": "24000", "date": (TODAY + dt.timedelta(days=300)).isoformat()},
    ],
    "reports": [
        {"kind": "interim", "due_date": (TODAY + dt.timedelta(days=5)).isoformat()},
        {"kind": "final", "due_date": (TODAY + dt.timedelta(days=330)).isoformat()},
    ],
}


def signed(people, call) -> tuple[dict, dict]:
    dossier = accepted(people, call)
    url = f"/api/dossiers/{dossier['id']}/agreement/"
    agreement = put(people.staff, url, AGREEMENT).json()
    post(people.staff, f"{url}sign", {"version": agreement["version"]})
    agreement = post(people.lyon, f"{url}sign", {"version": agreement["version"]}).json()
    assert agreement["state"] == "signed", agreement
    return dossier, agreement


def test_the_agreement_is_prepared_by_staff_and_signed_by_both_sides(people, call):
    dossier = accepted(people, call)
    url = f"/api/dossiers/{dossier['id']}/agreement/"
    assert people.lyon.get(url).status_code == 404, "none yet"
    assert put(people.lyon, url, AGREEMENT).status_code == 403

    unbalanced = put(people.staff, url, {**AGREEMENT, "amount": "50000"})
    assert unbalanced.status_code == 422
    assert "40" in {item["field"]: item["msg"] for item in unbalanced.json()["detail"]}["tranches"]
    no_final = put(people.staff, url, {**AGREEMENT, "reports": AGREEMENT["reports"][:1]})
    assert "reports" in {item["field"] for item in no_final.json()["detail"]}
    bad_row = put(
        people.staff, url, {**AGREEMENT, "tranches": [{"label": "", "amount": "abc", "date": "demain"}]}
    ).json()["detail"]
    assert {"tranches.0.label", "tranches.0.amount", "tranches.0.date"} <= {item["field"] for item in bad_row}

    mail.outbox.clear()
    prepared = put(people.staff, url, AGREEMENT)
    assert prepared.status_code == 200, prepared.content
    agreement = prepared.json()
    assert agreement["state"] == "to_sign" and agreement["totals"]["remaining"] == "40000.00"
    assert [item["label"] for item in agreement["tranches"]] == ["Avance", "Solde"]
    assert any(people.users.lyon.email in message.to for message in mail.outbox), "the authority is told"

    assert post(people.embassy_sn, f"{url}sign", {"version": agreement["version"]}).status_code == 403
    assert people.embassy_sn.get(url).status_code == 200, "the embassy sees it as it sees the dossier"
    assert people.ministry.get(url).status_code == 200
    assert people.embassy_vn.get(url).status_code == 404

    post(people.staff, f"{url}sign", {"version": agreement["version"]})
    changed = put(people.staff, url, {**AGREEMENT, "conditions": "Nouvelles conditions."}).json()
    assert changed["cncd_signed_at"] is None, "a change withdraws the signatures given"
    stale = post(people.lyon, f"{url}sign", {"version": agreement["version"]})
    assert stale.status_code == 409, "one signs what one read"

    post(people.staff, f"{url}sign", {"version": changed["version"]})
    done = post(people.lyon_colleague, f"{url}sign", {"version": changed["version"]}).json()
    assert done["state"] == "signed" and done["authority_signer_name"] and done["cncd_signer_name"]
    assert put(people.staff, url, AGREEMENT).status_code == 409, "signed, it no longer changes"

    pdf = people.lyon.get(f"/api/dossiers/{dossier['id']}/agreement.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    text = text.replace("\u202f", " ").replace("\xa0", " ")
    assert "Convention de cofinancement" in text and "L'État accorde 40 000,00 € au projet." in text
    assert "Nouvelles conditions." in text and "signée en ligne" in text
    history = [entry["action"] for entry in people.lyon.get(f"/api/dossiers/{dossier['id']}/history/").json()]
    assert history.count("agreement_signed") == 3 and "agreement_prepared" in history


def test_tranches_are_requested_checked_and_paid_without_exceeding_the_grant(people, call):
    dossier, agreement = signed(people, call)
    advance, balance = (item["id"] for item in agreement["tranches"])
    payments = f"/api/dossiers/{dossier['id']}/payments/"

    no_document = people.lyon.post(f"{payments}{advance}/request", {"amount": "16000"})
    assert no_document.status_code == 422 and no_document.json()["detail"][0]["field"] == "files"
    too_much = people.lyon.post(f"{payments}{advance}/request", {"amount": "40000.01", "files": [pdf_file()]})
    assert too_much.status_code == 422 and too_much.json()["detail"][0]["field"] == "amount"
    assert people.embassy_sn.post(f"{payments}{advance}/request", {"files": [pdf_file()]}).status_code == 403
    assert people.staff.post(f"{payments}{advance}/request", {"files": [pdf_file()]}).status_code == 403

    mail.outbox.clear()
    requested = people.lyon.post(
        f"{payments}{advance}/request", {"amount": "16000", "note": "Lancement", "files": [pdf_file()]}
    )
    assert requested.status_code == 200, requested.content
    assert requested.json()["state"] == "requested" and requested.json()["documents"][0]["name"] == "justificatif.pdf"
    assert any(settings.CNCD_DOSSIERS_EMAIL in message.to for message in mail.outbox), "staff are told"
    over = people.lyon.post(f"{payments}{balance}/request", {"amount": "24000.01", "files": [pdf_file()]})
    assert over.status_code == 422, "what is being processed counts"

    assert post(people.staff, f"{payments}{advance}/pay", {"paid_on": TODAY.isoformat()}).status_code == 409
    refused = post(people.staff, f"{payments}{advance}/check", {"approve": False, "comment": ""})
    assert refused.json()["detail"][0]["field"] == "comment"
    back = post(people.staff, f"{payments}{advance}/check", {"approve": False, "comment": "RIB manquant"}).json()
    assert back["state"] == "planned" and back["staff_comment"] == "RIB manquant"
    people.lyon.post(f"{payments}{advance}/request", {"amount": "16000", "files": [pdf_file("rib.pdf")]})
    post(people.staff, f"{payments}{advance}/check", {"approve": True})
    paid = post(people.staff, f"{payments}{advance}/pay", {"paid_on": TODAY.isoformat(), "amount": "15000"}).json()
    assert (paid["state"], paid["paid_amount"]) == ("paid", "15000.00")

    current = people.prefecture_ara.get(f"/api/dossiers/{dossier['id']}/agreement/").json()
    assert current["totals"] == {
        "grant": "40000.00",
        "paid": "15000.00",
        "requested": "0.00",
        "remaining": "25000.00",
        "spent": None,
        "to_recover": "0.00",
    }, "the prefecture sees the follow-up; the totals balance"
    people.lyon.post(f"{payments}{balance}/request", {"amount": "25000", "files": [pdf_file()]})
    post(people.staff, f"{payments}{balance}/check", {"approve": True})
    too_much = post(people.staff, f"{payments}{balance}/pay", {"paid_on": TODAY.isoformat(), "amount": "25000.01"})
    assert too_much.status_code == 422 and too_much.json()["detail"][0]["field"] == "amount"


def test_reports_are_filed_reviewed_and_reminded(people, call):
    dossier, agreement = signed(people, call)
    interim, final = (item["id"] for item in agreement["reports"])
    reports = f"/api/dossiers/{dossier['id']}/reports/"

    mail.outbox.clear()
    assert followup.remind_reports() == 1, "the interim report is due within the week"
    [reminder] = [message for message in mail.outbox if people.users.lyon.email in message.to]
    assert "bientôt" in reminder.subject and "rapport intermédiaire" in reminder.body.lower()
    assert followup.remind_reports() == 0, "once"

    mail.outbox.clear()
    later = TODAY + dt.timedelta(days=10)
    assert followup.remind_reports(later) == 1, "overdue now"
    late = [message for message in mail.outbox if "en retard" in message.subject]
    told = {address for message in late for address in message.to}
    assert {people.users.lyon.email, settings.CNCD_DOSSIERS_EMAIL} <= told, "the authority and staff"
    admin = people.staff.get("/admin/cncd_forms/dossier/").content.decode()
    assert "rapport intermédiaire" in admin.lower(), "staff see what the follow-up waits for"

    empty = people.lyon.post(f"{reports}{interim}/file", {"text": " "})
    assert empty.status_code == 422 and empty.json()["detail"][0]["field"] == "text"
    assert people.embassy_sn.post(f"{reports}{interim}/file", {"text": "Rapport"}).status_code == 403
    filed_report = people.lyon.post(f"{reports}{interim}/file", {"text": "Six mois de travaux.", "files": [pdf_file()]})
    assert filed_report.json()["state"] == "filed"
    returned = post(people.staff, f"{reports}{interim}/review", {"accept": False, "comment": "Chiffres manquants."})
    assert returned.json()["state"] == "returned"
    people.lyon.post(f"{reports}{interim}/file", {"text": "Six mois de travaux, chiffres inclus."})
    assert post(people.staff, f"{reports}{interim}/review", {"accept": True}).json()["state"] == "accepted"
    assert DueReport.objects.get(pk=final).state == "due"


def test_closure_shows_what_is_to_be_recovered(people, call):
    dossier, agreement = signed(people, call)
    advance = agreement["tranches"][0]["id"]
    final = agreement["reports"][1]["id"]
    base = f"/api/dossiers/{dossier['id']}"
    people.lyon.post(f"{base}/payments/{advance}/request", {"files": [pdf_file()]})
    post(people.staff, f"{base}/payments/{advance}/check", {"approve": True})
    post(people.staff, f"{base}/payments/{advance}/pay", {"paid_on": TODAY.isoformat()})

    early = post(people.staff, f"{base}/closure", {"spent_amount": "12000"})
    assert early.status_code == 409, "the final report first"
    people.lyon.post(f"{base}/reports/{final}/file", {"text": "Bilan final."})
    post(people.staff, f"{base}/reports/{final}/review", {"accept": True})
    assert post(people.lyon, f"{base}/closure", {"spent_amount": "12000"}).status_code == 403
    assert post(people.staff, f"{base}/closure", {"spent_amount": "-1"}).json()["detail"][0]["field"] == "spent_amount"
    closed = post(people.staff, f"{base}/closure", {"spent_amount": "12000", "note": "Projet réduit."}).json()
    assert closed["state"] == "closed"
    assert (closed["totals"]["paid"], closed["totals"]["to_recover"]) == ("16000.00", "4000.00")
    page = people.lyon.get(f"/teleprocedures/dossiers/{dossier['id']}/").content.decode()
    assert "à recouvrer : 4" in page.replace("\u202f", " ").replace("&nbsp;", " ")
    assert people.lyon.post(f"{base}/payments/{advance}/request", {"files": [pdf_file()]}).status_code == 409


def test_the_command_sends_the_reminders(people, call):
    dossier, _agreement = signed(people, call)
    mail.outbox.clear()
    out = io.StringIO()
    call_command("remind_reports", stdout=out)
    assert "1" in out.getvalue()
    assert any(dossier["reference"] in message.subject for message in mail.outbox)


def test_the_follow_up_on_the_dossier_page(people, call):
    dossier = accepted(people, call)
    page = f"/teleprocedures/dossiers/{dossier['id']}/"
    action = f"{page}action/"
    form = people.staff.get(page).content.decode()
    assert "Préparer la convention" in form
    rows = {
        "action": "agreement",
        "amount": "10000",
        "conditions": "",
        "tranche_label": ["Avance", "Solde", ""],
        "tranche_amount": ["4000", "6000", ""],
        "tranche_date": [TODAY.isoformat(), (TODAY + dt.timedelta(days=90)).isoformat(), ""],
        "report_kind": ["final", "interim"],
        "report_due_date": [(TODAY + dt.timedelta(days=120)).isoformat(), ""],
    }
    assert people.staff.post(action, rows).status_code == 302
    agreement = people.staff.get(f"/api/dossiers/{dossier['id']}/agreement/").json()
    assert [item["planned_amount"] for item in agreement["tranches"]] == ["4000.00", "6000.00"]
    people.staff.post(action, {"action": "sign", "version": agreement["version"]})
    people.lyon.post(action, {"action": "sign", "version": agreement["version"]})
    shown = people.lyon.get(page).content.decode()
    assert "Demander le versement" in shown and "Signée" in shown
    advance = agreement["tranches"][0]["id"]
    people.lyon.post(action, {"action": "request_tranche", "tranche": advance, "amount": "4000", "files": [pdf_file()]})
    people.staff.post(action, {"action": "check_tranche", "tranche": advance, "comment": ""})
    people.staff.post(action, {"action": "pay_tranche", "tranche": advance, "paid_on": TODAY.isoformat(), "amount": ""})
    state = people.embassy_sn.get(f"/api/dossiers/{dossier['id']}/payments/").json()[0]
    assert (state["state"], state["paid_amount"]) == ("paid", "4000.00")


def test_an_accepted_dossier_goes_to_the_atlas_through_moderation_and_is_linked_both_ways(people, call):
    from atlas_pages.models import Project
    from tests.factories import add_apd_campaign

    mail.outbox.clear()
    dossier = accepted(people, call)
    detail = people.lyon.get(f"/api/dossiers/{dossier['id']}/").json()
    assert detail["atlas_project"] is None and detail["atlas_proposal"].startswith("MAJ-")
    assert any(settings.CNCD_ATLAS_EMAIL in message.to for message in mail.outbox), "the moderators are told"
    assert not Project.objects.filter(title=dossier["title"]).exists(), "nothing in the Atlas before moderation"

    [proposal] = people.staff.get("/api/atlas/updates/", {"state": "pending"}).json()["items"]
    assert proposal["kind"] == "new" and proposal["changes"]["french_authorities"] == ["69123"]
    assert proposal["changes"]["country"] == "SN" and proposal["project_title"] == dossier["title"]
    assert post(people.staff, f"/api/atlas/updates/{proposal['id']}/accept", {}).status_code == 200

    detail = people.lyon.get(f"/api/dossiers/{dossier['id']}/").json()
    project = Project.objects.get(title=dossier["title"])
    assert detail["atlas_project"]["id"] == project.pk and detail["atlas_proposal"] == ""
    history = [entry["action"] for entry in people.lyon.get(f"/api/dossiers/{dossier['id']}/history/").json()]
    assert history[-1] == "atlas_project_linked"
    sheet = people.ngo.get(f"/api/atlas/projects/{project.pk}/").json()
    assert sheet["funding"] == ["Cofinancé par l'État (appel « Appel à projets 2027 »)"]

    campaign = add_apd_campaign(2026)
    declaration = post(people.lyon, f"/api/declarations/apd/campaigns/{campaign.pk}/declaration/").json()
    line = post(
        people.lyon,
        f"/api/declarations/apd/{declaration['id']}/lines/",
        {"project_id": project.pk, "purpose_code": "14030", "disbursed": "16000", "committed": "40000"},
    )
    assert line.status_code == 201, line.content
    assert (line.json()["project_id"], line.json()["recipient"]) == (project.pk, "SN"), "the line points at it"
