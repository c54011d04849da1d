"""Every endpoint of the API, and every page of the personal space, tried by anonymous, a member
of each of the nine groups and staff, through the browser session and the app token.

A new endpoint fails ``test_every_endpoint_is_in_the_matrix`` until its row is added here.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from atlas_pages.atlas.generate import generate
from atlas_pages.models import (
    BourseProject,
    Country,
    FrenchAuthority,
    PartnerAuthority,
    Project,
    Theme,
)
from cncd.api import api
from extranet.models import AtlasExport, Bookmark, MapAlbum, SavedMap, SearchAlert
from forms.dossiers import services
from forms.dossiers.models import ReviewCriterion, ReviewerBody
from forms.models import Agreement, ApdDeclaration, Dossier, DueReport, Opinion
from tests.factories import (
    PASSWORD,
    UserFactory,
    add_apd_campaign,
    add_article,
    add_call,
    add_rubric,
    member_of_authority,
    padlock,
)
from tests.permissions import expect

pytestmark = pytest.mark.django_db


def pages():
    rubric = add_rubric("Actualités")
    public = add_article(rubric, "Article public")
    local = add_article(rubric, "Article collectivités", body="Réservé aux élus")
    padlock(local, "collectivites")
    generate(projects=3, authorities=5, countries=2, seed=1)
    owner = UserFactory(username="export-owner")
    export = AtlasExport.objects.create(owner=owner, query="country=SN", status=AtlasExport.Status.READY)
    alert = SearchAlert.objects.create(owner=owner, title="Sénégal", query="country=SN")
    bookmark = Bookmark.objects.create(user=owner, page=public, title=public.title)
    album = MapAlbum.objects.create(user=owner, name="Afrique")
    saved = SavedMap.objects.create(album=album, title="Sénégal", query="", view_bbox="-18,12,-11,17", zoom=6)
    brief = add_article(rubric, "Note aux collectivités", target_groups=["collectivites"])
    call = add_call(
        criteria=[ReviewCriterion(label="Pertinence", scale=5)],
        review_bodies=[ReviewerBody(body="ministeres-operateurs")],
    )
    lyon = member_of_authority("matrix-lyon", "69123", "Lyon")
    dossier = Dossier.objects.create(
        call=call,
        authority=FrenchAuthority.objects.get(code="69123"),
        created_by=lyon,
        state=Dossier.State.FILED,
        title="Eau potable à Dakar",
        partner_country=Country.objects.get(iso2="SN"),
        reference="AAP-MATRIX",
    )
    opinion = Opinion.objects.create(dossier=dossier, body="ministeres-operateurs", due_date=dt.date(2027, 1, 31))
    revocable = Opinion.objects.create(dossier=dossier, body="prefectures", due_date=dt.date(2027, 1, 31))
    document = services.add_attachment(UserFactory(username="matrix-instructeur", is_staff=True), dossier.pk, pdf())
    campaign = add_apd_campaign(2026)
    declaration = ApdDeclaration.objects.create(campaign=campaign, authority=dossier.authority, created_by=lyon)
    line = declaration.lines.create(title="Eau potable", recipient="SN", purpose_code="14030", disbursed=1000)
    from forms.atlas_updates import services as atlas_updates

    project = Project.objects.order_by("pk").first()
    project.french_authorities.add(dossier.authority)
    proposal = atlas_updates.propose(lyon, "edit", {"budget": "123"}, project.pk)
    senegal = Country.objects.get(iso2="SN")
    entry = BourseProject.objects.create(
        title="Déchets à Saint-Louis",
        partner_authority=PartnerAuthority.objects.create(name="Saint-Louis", country=senegal),
        country=senegal,
        theme=Theme.objects.get(slug="dechets"),
        description="Collecte",
        expected_partnership="Expertise",
    )
    funded = Dossier.objects.create(
        call=call,
        authority=dossier.authority,
        created_by=lyon,
        state=Dossier.State.ACCEPTED,
        title="Écoles à Thiès",
        partner_country=senegal,
        reference="AAP-MATRIX-2",
    )
    agreement = Agreement.objects.create(dossier=funded, amount=1000, state=Agreement.State.SIGNED)
    tranche = agreement.tranches.create(label="Avance", planned_amount=1000, planned_date=dt.date(2027, 3, 1))
    report = agreement.reports.create(kind=DueReport.Kind.FINAL, due_date=dt.date(2027, 12, 31))
    preview = local.specific.create_page_preview()  # the editor's Preview of the padlocked page
    spaces = thematic_spaces()
    return {
        **spaces,
        "funded": funded.pk,
        "revocable": revocable.pk,
        "tranche": tranche.pk,
        "report": report.pk,
        "preview_token": preview.token,
        "entry": entry.pk,
        "proposal": proposal.pk,
        "campaign": campaign.pk,
        "declaration": declaration.pk,
        "line": line.pk,
        "document": document.pk,
        "opinion": opinion.pk,
        "call": call.pk,
        "criterion": call.criteria.get().pk,
        "dossier": dossier.pk,
        "album": album.pk,
        "map": saved.pk,
        "brief": brief.pk,
        "bookmark": bookmark.pk,
        "export": export.pk,
        "alert": alert.pk,
        "public": public.pk,
        "local": local.pk,
        "public_path": public.url_path,
        "project": Project.objects.order_by("pk").first().pk,
    }


def thematic_spaces() -> dict:
    """A space for members, one for the embassies with a discussion of two messages, and a
    suspension in force."""
    from extranet.models import Suspension
    from extranet.spaces import services as spaces
    from tests.factories import MemberFactory, add_space

    members = add_space("Eau et assainissement", members=True)
    embassies = add_space("Réseau des ambassades", "ambassades")
    author = MemberFactory(username="matrix-space-author", groups=["ambassades"])
    talk = spaces.open_discussion(author, embassies.pk, "Télégramme", "Réservé aux élus? non, aux ambassades.")
    reply = spaces.reply(author, talk.pk, "Une réponse.")
    suspension = Suspension.objects.create(space=members, member=author, reason="Test")
    return {
        "members_space": members.pk,
        "embassies_space": embassies.pk,
        "talk": talk.pk,
        "talk_message": talk.messages.first().pk,
        "talk_reply": reply.pk,
        "space_author": author.pk,
        "suspension": suspension.pk,
    }


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("piece.pdf", b"%PDF-1.4\n%%EOF\n")


def logged_in(principal, **statuses):
    """The usual rule for the member's own resources: 401 for anonymous, else the status given."""
    return expect(principal, anonymous=401, **statuses)


def embassies_only(principal, status: int) -> int:
    """A space the editors opened to the embassies: 401 anonymous, 403 the other groups."""
    return expect(principal, default=403, anonymous=401, ambassades=status, staff=status)


# (method, path template) -> cases: (label, concrete path, body, expected status for a principal)
MATRIX = {
    ("GET", "/api/site/"): [("site", "/api/site/", None, lambda p: 200)],
    ("GET", "/api/pages/"): [("list", "/api/pages/", None, lambda p: 200)],
    ("GET", "/api/events/"): [("the agenda", "/api/events/?when=past", None, lambda p: 200)],
    ("GET", "/api/pages/find/"): [("public", "/api/pages/find/?path=/actualites/article-public/", None, lambda p: 200)],
    ("GET", "/api/pages/{page_id}/"): [
        ("public", "/api/pages/{public}/", None, lambda p: 200),
        (
            "padlocked for local authorities",
            "/api/pages/{local}/",
            None,
            lambda p: expect(p, default=403, anonymous=401, collectivites=200, staff=200),
        ),
    ],
    ("GET", "/api/pages/preview/"): [
        (
            "the holder of a preview token, padlock or not",
            "/api/pages/preview/?content_type=atlas_pages.articlepage&token={preview_token}",
            None,
            lambda p: 200,
        ),
        (
            "a forged token",
            "/api/pages/preview/?content_type=atlas_pages.articlepage&token=id=1:1xYlhP:forged",
            None,
            lambda p: 403,
        ),
    ],
    ("GET", "/api/atlas/projects/"): [("search", "/api/atlas/projects/?continent=afrique", None, lambda p: 200)],
    ("GET", "/api/atlas/projects/{project_id}/"): [("sheet", "/api/atlas/projects/{project}/", None, lambda p: 200)],
    ("GET", "/api/atlas/projects.geojson"): [("map", "/api/atlas/projects.geojson", None, lambda p: 200)],
    ("GET", "/api/atlas/projects.pdf"): [("pdf", "/api/atlas/projects.pdf?kind=project", None, lambda p: 200)],
    ("GET", "/api/me/exports/"): [("mine", "/api/me/exports/", None, lambda p: logged_in(p, default=200))],
    ("POST", "/api/me/exports/"): [
        ("keep", "/api/me/exports/", {"query": "kind=twinning"}, lambda p: logged_in(p, default=201))
    ],
    ("GET", "/api/me/alerts/"): [("mine", "/api/me/alerts/", None, lambda p: logged_in(p, default=200))],
    ("POST", "/api/me/alerts/"): [
        ("follow", "/api/me/alerts/", {"query": "country=SN"}, lambda p: logged_in(p, default=201))
    ],
    ("PATCH", "/api/me/alerts/{alert_id}/"): [
        ("someone else's", "/api/me/alerts/{alert}/", {"active": False}, lambda p: logged_in(p, default=404))
    ],
    ("DELETE", "/api/me/alerts/{alert_id}/"): [
        ("someone else's", "/api/me/alerts/{alert}/", None, lambda p: logged_in(p, default=404))
    ],
    ("GET", "/api/me/exports/{export_id}/"): [
        ("someone else's", "/api/me/exports/{export}/", None, lambda p: logged_in(p, default=404))
    ],
    ("DELETE", "/api/me/exports/{export_id}/"): [
        ("someone else's", "/api/me/exports/{export}/", None, lambda p: logged_in(p, default=404))
    ],
    ("POST", "/api/me/exports/{export_id}/send"): [
        (
            "someone else's",
            "/api/me/exports/{export}/send",
            {"email": "collegue@example.org"},
            lambda p: logged_in(p, default=404),
        )
    ],
    ("GET", "/api/me/albums/"): [("mine", "/api/me/albums/", None, lambda p: logged_in(p, default=200))],
    ("POST", "/api/me/albums/"): [("create", "/api/me/albums/", {"name": "Asie"}, lambda p: logged_in(p, default=201))],
    ("GET", "/api/me/albums/{album_id}/"): [
        ("someone else's", "/api/me/albums/{album}/", None, lambda p: logged_in(p, default=404))
    ],
    ("PATCH", "/api/me/albums/{album_id}/"): [
        ("someone else's", "/api/me/albums/{album}/", {"name": "x"}, lambda p: logged_in(p, default=404))
    ],
    ("DELETE", "/api/me/albums/{album_id}/"): [
        ("someone else's", "/api/me/albums/{album}/", None, lambda p: logged_in(p, default=404))
    ],
    ("POST", "/api/me/albums/{album_id}/maps/"): [
        (
            "into someone else's album",
            "/api/me/albums/{album}/maps/",
            {"title": "Carte", "view_bbox": "-18,12,-11,17", "zoom": 6},
            lambda p: logged_in(p, default=404),
        )
    ],
    ("GET", "/api/me/albums/{album_id}/maps/{map_id}/"): [
        ("someone else's", "/api/me/albums/{album}/maps/{map}/", None, lambda p: logged_in(p, default=404))
    ],
    ("PATCH", "/api/me/albums/{album_id}/maps/{map_id}/"): [
        ("someone else's", "/api/me/albums/{album}/maps/{map}/", {"title": "x"}, lambda p: logged_in(p, default=404))
    ],
    ("DELETE", "/api/me/albums/{album_id}/maps/{map_id}/"): [
        ("someone else's", "/api/me/albums/{album}/maps/{map}/", None, lambda p: logged_in(p, default=404))
    ],
    ("GET", "/api/me/brief/"): [("mine", "/api/me/brief/", None, lambda p: logged_in(p, default=200))],
    ("POST", "/api/me/brief/{page_id}/read"): [
        (
            "article targeted to local authorities",
            "/api/me/brief/{brief}/read",
            None,
            lambda p: logged_in(p, default=404, collectivites=204),
        )
    ],
    ("GET", "/api/calls/"): [("list", "/api/calls/", None, lambda p: 200)],
    ("GET", "/api/calls/{call_id}/"): [("one", "/api/calls/{call}/", None, lambda p: 200)],
    ("GET", "/api/dossiers/"): [("visible ones", "/api/dossiers/", None, lambda p: logged_in(p, default=200))],
    ("POST", "/api/dossiers/"): [
        # Only members of local authorities whose profile names their authority file.
        ("start a draft", "/api/dossiers/", {"call_id": "{call}"}, lambda p: logged_in(p, default=403))
    ],
    ("GET", "/api/dossiers/{dossier_id}/"): [
        (
            "Lyon's filed dossier",
            "/api/dossiers/{dossier}/",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=200, staff=200),
        )
    ],
    ("PATCH", "/api/dossiers/{dossier_id}/"): [
        (
            "Lyon's filed dossier",
            "/api/dossiers/{dossier}/",
            {"version": 1, "title": "x"},
            lambda p: logged_in(p, default=404, ministeres_operateurs=403, staff=403),
        )
    ],
    ("POST", "/api/dossiers/{dossier_id}/submit/"): [
        (
            "Lyon's filed dossier",
            "/api/dossiers/{dossier}/submit/",
            {"version": 1},
            lambda p: logged_in(p, default=404, ministeres_operateurs=403, staff=403),
        )
    ],
    ("POST", "/api/dossiers/{dossier_id}/review/"): [
        (
            "staff only (stale version)",
            "/api/dossiers/{dossier}/review/",
            {"version": 999},
            lambda p: logged_in(p, default=403, staff=409),
        )
    ],
    ("POST", "/api/dossiers/{dossier_id}/send-back/"): [
        (
            "staff only (stale version)",
            "/api/dossiers/{dossier}/send-back/",
            {"version": 999, "reason": "Budget"},
            lambda p: logged_in(p, default=403, staff=409),
        )
    ],
    ("POST", "/api/dossiers/{dossier_id}/decision/"): [
        (
            "staff only (stale version)",
            "/api/dossiers/{dossier}/decision/",
            {"version": 999, "decision": "accepted", "motivation": "Oui"},
            lambda p: logged_in(p, default=403, staff=409),
        )
    ],
    ("POST", "/api/dossiers/{dossier_id}/reopen/"): [
        (
            "staff only (not decided)",
            "/api/dossiers/{dossier}/reopen/",
            {"version": 1, "reason": "Erreur"},
            lambda p: logged_in(p, default=403, staff=409),
        )
    ],
    ("GET", "/api/dossiers/{dossier_id}/history/"): [
        (
            "Lyon's filed dossier",
            "/api/dossiers/{dossier}/history/",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=200, staff=200),
        )
    ],
    ("GET", "/api/dossiers/{dossier_id}/notes/"): [
        (
            "the instructors' private notes on Lyon's filed dossier",
            "/api/dossiers/{dossier}/notes/",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=403, staff=200),
        )
    ],
    ("POST", "/api/dossiers/{dossier_id}/notes/"): [
        (
            "a private note on Lyon's filed dossier",
            "/api/dossiers/{dossier}/notes/",
            {"text": "À vérifier"},
            lambda p: logged_in(p, default=404, ministeres_operateurs=403, staff=201),
        )
    ],
    ("PUT", "/api/dossiers/{dossier_id}/assignee/"): [
        (
            "Lyon's filed dossier, to nobody",
            "/api/dossiers/{dossier}/assignee/",
            {"instructor_id": None},
            lambda p: logged_in(p, default=404, ministeres_operateurs=403, staff=200),
        )
    ],
    ("PUT", "/api/dossiers/{dossier_id}/following/"): [
        (
            "Lyon's filed dossier, by whoever sees it",
            "/api/dossiers/{dossier}/following/",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=200, staff=200),
        )
    ],
    ("DELETE", "/api/dossiers/{dossier_id}/following/"): [
        (
            "Lyon's filed dossier, by whoever sees it",
            "/api/dossiers/{dossier}/following/",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=200, staff=200),
        )
    ],
    ("DELETE", "/api/dossiers/{dossier_id}/opinions/{opinion_id}/"): [
        (
            "the prefecture's opinion, awaited",
            "/api/dossiers/{dossier}/opinions/{revocable}/",
            None,
            lambda p: logged_in(p, default=403, staff=204),
        )
    ],
    ("GET", "/api/dossiers/{dossier_id}/agreement/"): [
        (
            "Lyon's funded dossier",
            "/api/dossiers/{funded}/agreement/",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=200, staff=200),
        )
    ],
    ("PUT", "/api/dossiers/{dossier_id}/agreement/"): [
        (
            "signed already",
            "/api/dossiers/{funded}/agreement/",
            {
                "amount": "1000",
                "tranches": [{"label": "Avance", "amount": "1000", "date": "2027-03-01"}],
                "reports": [{"kind": "final", "due_date": "2027-12-31"}],
            },
            lambda p: logged_in(p, default=403, staff=409),
        )
    ],
    ("POST", "/api/dossiers/{dossier_id}/agreement/sign"): [
        (
            "signed already",
            "/api/dossiers/{funded}/agreement/sign",
            {"version": 1},
            lambda p: logged_in(p, default=404, ministeres_operateurs=403, staff=409),
        )
    ],
    ("GET", "/api/dossiers/{dossier_id}/agreement.pdf"): [
        (
            "Lyon's funded dossier",
            "/api/dossiers/{funded}/agreement.pdf",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=200, staff=200),
        )
    ],
    ("GET", "/api/dossiers/{dossier_id}/payments/"): [
        (
            "Lyon's funded dossier",
            "/api/dossiers/{funded}/payments/",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=200, staff=200),
        )
    ],
    ("POST", "/api/dossiers/{dossier_id}/payments/{tranche_id}/request"): [
        (
            "by the authority alone",
            "/api/dossiers/{funded}/payments/{tranche}/request",
            {"__form__": True, "amount": "1000"},
            lambda p: logged_in(p, default=404, ministeres_operateurs=403, staff=403),
        )
    ],
    ("POST", "/api/dossiers/{dossier_id}/payments/{tranche_id}/check"): [
        (
            "a planned tranche",
            "/api/dossiers/{funded}/payments/{tranche}/check",
            {"approve": True},
            lambda p: logged_in(p, default=403, staff=409),
        )
    ],
    ("POST", "/api/dossiers/{dossier_id}/payments/{tranche_id}/pay"): [
        (
            "a planned tranche",
            "/api/dossiers/{funded}/payments/{tranche}/pay",
            {"paid_on": "2027-03-01"},
            lambda p: logged_in(p, default=403, staff=409),
        )
    ],
    ("GET", "/api/dossiers/{dossier_id}/reports/"): [
        (
            "Lyon's funded dossier",
            "/api/dossiers/{funded}/reports/",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=200, staff=200),
        )
    ],
    ("POST", "/api/dossiers/{dossier_id}/reports/{report_id}/file"): [
        (
            "by the authority alone",
            "/api/dossiers/{funded}/reports/{report}/file",
            {"__form__": True, "text": "Bilan"},
            lambda p: logged_in(p, default=404, ministeres_operateurs=403, staff=403),
        )
    ],
    ("POST", "/api/dossiers/{dossier_id}/reports/{report_id}/review"): [
        (
            "a report not filed",
            "/api/dossiers/{funded}/reports/{report}/review",
            {"accept": True},
            lambda p: logged_in(p, default=403, staff=409),
        )
    ],
    ("POST", "/api/dossiers/{dossier_id}/closure"): [
        (
            "the final report not accepted",
            "/api/dossiers/{funded}/closure",
            {"spent_amount": "900"},
            lambda p: logged_in(p, default=403, staff=409),
        )
    ],
    ("GET", "/api/dossiers/{dossier_id}/atlas-neighbours/"): [
        (
            "Lyon's filed dossier",
            "/api/dossiers/{dossier}/atlas-neighbours/",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=200, staff=200),
        )
    ],
    ("GET", "/api/dossiers/{dossier_id}/scores/"): [
        (
            "Lyon's filed dossier: its call invites the ministries to score",
            "/api/dossiers/{dossier}/scores/",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=200, staff=200),
        )
    ],
    ("PUT", "/api/dossiers/{dossier_id}/scores/mine/"): [
        (
            "Lyon's filed dossier, every criterion scored",
            "/api/dossiers/{dossier}/scores/mine/",
            {"scores": {"{criterion}": 3}, "comment": "Pertinent."},
            lambda p: logged_in(p, default=404, ministeres_operateurs=200, staff=200),
        )
    ],
    ("GET", "/api/calls/{call_id}/ranking/"): [
        ("the call's ranking", "/api/calls/{call}/ranking/", None, lambda p: logged_in(p, default=403, staff=200))
    ],
    ("GET", "/api/dossier-labels/"): [
        ("the instructors' labels", "/api/dossier-labels/", None, lambda p: logged_in(p, default=403, staff=200))
    ],
    ("PUT", "/api/dossiers/{dossier_id}/labels/"): [
        (
            "Lyon's filed dossier, no label",
            "/api/dossiers/{dossier}/labels/",
            {"label_ids": []},
            lambda p: logged_in(p, default=404, ministeres_operateurs=403, staff=200),
        )
    ],
    ("PUT", "/api/dossiers/{dossier_id}/archive/"): [
        (
            "Lyon's filed dossier, not decided",
            "/api/dossiers/{dossier}/archive/",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=403, staff=409),
        )
    ],
    ("DELETE", "/api/dossiers/{dossier_id}/archive/"): [
        (
            "Lyon's filed dossier, not archived",
            "/api/dossiers/{dossier}/archive/",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=403, staff=200),
        )
    ],
    ("GET", "/api/dossiers/{dossier_id}/opinions/"): [
        (
            "Lyon's filed dossier",
            "/api/dossiers/{dossier}/opinions/",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=200, staff=200),
        )
    ],
    ("POST", "/api/dossiers/{dossier_id}/opinions/"): [
        (
            "staff ask",
            "/api/dossiers/{dossier}/opinions/",
            {"bodies": ["ministeres-operateurs"]},
            lambda p: logged_in(p, default=403, staff=201),
        )
    ],
    ("PUT", "/api/dossiers/{dossier_id}/opinions/{opinion_id}/"): [
        (
            "the ministries' opinion",
            "/api/dossiers/{dossier}/opinions/{opinion}/",
            {"verdict": "favourable", "text": "Utile."},
            lambda p: logged_in(p, default=404, ministeres_operateurs=200, staff=403),
        )
    ],
    ("GET", "/api/dossiers/{dossier_id}/attachments/"): [
        (
            "Lyon's filed dossier",
            "/api/dossiers/{dossier}/attachments/",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=200, staff=200),
        )
    ],
    ("POST", "/api/dossiers/{dossier_id}/attachments/"): [
        (
            "Lyon's filed dossier",
            "/api/dossiers/{dossier}/attachments/",
            {"__form__": True, "file": "{pdf}", "label": "Pièce"},
            lambda p: logged_in(p, default=404, ministeres_operateurs=403, staff=201),
        )
    ],
    ("GET", "/api/dossiers/{dossier_id}/attachments/{attachment_id}/file"): [
        (
            "a document of Lyon's dossier",
            "/api/dossiers/{dossier}/attachments/{document}/file",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=200, staff=200),
        )
    ],
    ("DELETE", "/api/dossiers/{dossier_id}/attachments/{attachment_id}/"): [
        (
            "a document of Lyon's dossier",
            "/api/dossiers/{dossier}/attachments/{document}/",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=403, staff=204),
        )
    ],
    ("GET", "/api/dossiers/{dossier_id}/messages/"): [
        (
            "between Lyon and the CNCD",
            "/api/dossiers/{dossier}/messages/",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=403, staff=200),
        )
    ],
    ("POST", "/api/dossiers/{dossier_id}/messages/"): [
        (
            "between Lyon and the CNCD",
            "/api/dossiers/{dossier}/messages/",
            {"__form__": True, "body": "Bonjour"},
            lambda p: logged_in(p, default=404, ministeres_operateurs=403, staff=201),
        )
    ],
    ("GET", "/api/dossiers/{dossier_id}/pdf"): [
        (
            "Lyon's filed dossier",
            "/api/dossiers/{dossier}/pdf",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=200, staff=200),
        )
    ],
    ("GET", "/api/dossiers/{dossier_id}/decision-letter.pdf"): [
        (
            "Lyon's dossier, not decided",
            "/api/dossiers/{dossier}/decision-letter.pdf",
            None,
            lambda p: logged_in(p, default=404, ministeres_operateurs=403, staff=409),
        )
    ],
    ("GET", "/api/me/notifications/"): [("mine", "/api/me/notifications/", None, lambda p: logged_in(p, default=200))],
    ("POST", "/api/me/notifications/read"): [
        ("mine", "/api/me/notifications/read", None, lambda p: logged_in(p, default=204))
    ],
    ("POST", "/api/dossiers/{dossier_id}/opinions/{opinion_id}/documents/"): [
        (
            "the ministries' opinion: by the body, or staff for it",
            "/api/dossiers/{dossier}/opinions/{opinion}/documents/",
            {"__form__": True, "file": "{pdf}"},
            lambda p: logged_in(p, default=404, ministeres_operateurs=201, staff=201),
        )
    ],
    ("GET", "/api/me/contributions/"): [("mine", "/api/me/contributions/", None, lambda p: logged_in(p, default=200))],
    ("POST", "/api/me/contributions/"): [
        (
            "a proposal without its title (nothing is created)",
            "/api/me/contributions/",
            {"kind": "good_practice", "title": "", "teaser": "Résumé.", "text": "Texte."},
            lambda p: logged_in(p, default=422, staff=403),
        )
    ],
    ("POST", "/api/me/contributions/images/"): [
        (
            "a PDF is not an image (nothing is kept)",
            "/api/me/contributions/images/",
            {"__form__": True, "file": "{pdf}", "alt": "Le jardin"},
            lambda p: logged_in(p, default=422, staff=403),
        )
    ],
    ("PUT", "/api/me/contributions/{page_id}/"): [
        (
            "a page nobody proposed",
            "/api/me/contributions/{public}/",
            {"kind": "good_practice", "title": "Titre", "teaser": "Résumé.", "text": "Texte."},
            lambda p: logged_in(p, default=404),
        )
    ],
    ("GET", "/api/spaces/"): [("every space, padlocked ones flagged", "/api/spaces/", None, lambda p: 200)],
    ("GET", "/api/spaces/{space_id}/"): [
        ("the embassies' space", "/api/spaces/{embassies_space}/", None, lambda p: embassies_only(p, 200))
    ],
    ("GET", "/api/spaces/{space_id}/discussions/"): [
        ("the members' space", "/api/spaces/{members_space}/discussions/", None, lambda p: logged_in(p, default=200)),
        ("the embassies' space", "/api/spaces/{embassies_space}/discussions/", None, lambda p: embassies_only(p, 200)),
    ],
    ("POST", "/api/spaces/{space_id}/discussions/"): [
        (
            "in the embassies' space",
            "/api/spaces/{embassies_space}/discussions/",
            {"title": "Question", "text": "Qui sait ?"},
            lambda p: embassies_only(p, 201),
        )
    ],
    ("GET", "/api/spaces/discussions/{discussion_id}/"): [
        ("the embassies' discussion", "/api/spaces/discussions/{talk}/", None, lambda p: embassies_only(p, 200))
    ],
    ("POST", "/api/spaces/discussions/{discussion_id}/messages/"): [
        (
            "a reply in the embassies' discussion",
            "/api/spaces/discussions/{talk}/messages/",
            {"text": "Réponse."},
            lambda p: embassies_only(p, 201),
        )
    ],
    ("PUT", "/api/spaces/{space_id}/follow/"): [
        ("the members' space", "/api/spaces/{members_space}/follow/", None, lambda p: logged_in(p, default=200)),
        ("the embassies' space", "/api/spaces/{embassies_space}/follow/", None, lambda p: embassies_only(p, 200)),
    ],
    ("DELETE", "/api/spaces/{space_id}/follow/"): [
        ("the members' space", "/api/spaces/{members_space}/follow/", None, lambda p: logged_in(p, default=200))
    ],
    ("PUT", "/api/spaces/discussions/{discussion_id}/follow/"): [
        ("the embassies' discussion", "/api/spaces/discussions/{talk}/follow/", None, lambda p: embassies_only(p, 200))
    ],
    ("DELETE", "/api/spaces/discussions/{discussion_id}/follow/"): [
        ("the embassies' discussion", "/api/spaces/discussions/{talk}/follow/", None, lambda p: embassies_only(p, 200))
    ],
    ("POST", "/api/spaces/messages/{message_id}/report/"): [
        (
            "a message of the embassies' space",
            "/api/spaces/messages/{talk_message}/report/",
            {"reason": "Hors sujet"},
            lambda p: embassies_only(p, 201),
        )
    ],
    ("POST", "/api/spaces/messages/{message_id}/moderation/"): [
        (
            "hide a message: the moderators",
            "/api/spaces/messages/{talk_reply}/moderation/",
            {"action": "hide", "reason": "Hors sujet"},
            lambda p: logged_in(p, default=403, staff=200),
        )
    ],
    ("GET", "/api/spaces/reports/"): [
        ("the moderators", "/api/spaces/reports/", None, lambda p: logged_in(p, default=403, staff=200))
    ],
    ("GET", "/api/spaces/moderation-log/"): [
        ("the moderators", "/api/spaces/moderation-log/", None, lambda p: logged_in(p, default=403, staff=200))
    ],
    ("GET", "/api/spaces/{space_id}/suspensions/"): [
        (
            "the moderators",
            "/api/spaces/{members_space}/suspensions/",
            None,
            lambda p: logged_in(p, default=403, staff=200),
        )
    ],
    ("POST", "/api/spaces/{space_id}/suspensions/"): [
        (
            "the moderators",
            "/api/spaces/{embassies_space}/suspensions/",
            {"member": "{space_author}", "reason": "Insultes"},
            lambda p: logged_in(p, default=403, staff=201),
        )
    ],
    ("DELETE", "/api/spaces/suspensions/{suspension_id}/"): [
        (
            "the moderators",
            "/api/spaces/suspensions/{suspension}/",
            None,
            lambda p: logged_in(p, default=403, staff=204),
        )
    ],
    ("GET", "/api/me/spaces/"): [("mine", "/api/me/spaces/", None, lambda p: logged_in(p, default=200))],
    ("PATCH", "/api/me/spaces/"): [
        ("my weekly e-mail", "/api/me/spaces/", {"weekly_email": False}, lambda p: logged_in(p, default=200))
    ],
    ("GET", "/api/me/declarations/"): [("mine", "/api/me/declarations/", None, lambda p: logged_in(p, default=200))],
    ("GET", "/api/me/exports/{export_id}/pdf"): [
        ("someone else's", "/api/me/exports/{export}/pdf", None, lambda p: logged_in(p, default=404))
    ],
    ("GET", "/api/atlas/facets/"): [("facets", "/api/atlas/facets/?kind=project", None, lambda p: 200)],
    ("GET", "/api/atlas/countries/"): [("countries", "/api/atlas/countries/", None, lambda p: 200)],
    ("GET", "/api/atlas/authorities/"): [("authorities", "/api/atlas/authorities/", None, lambda p: 200)],
    ("GET", "/api/atlas/official-authorities/"): [
        ("by name", "/api/atlas/official-authorities/?q=lyon", None, lambda p: 200)
    ],
    ("GET", "/api/atlas/projects.csv"): [("csv", "/api/atlas/projects.csv?country=SN", None, lambda p: 200)],
    ("GET", "/api/atlas/projects.json"): [("json", "/api/atlas/projects.json?country=SN", None, lambda p: 200)],
    ("GET", "/api/atlas/projects.schema.json"): [("schema", "/api/atlas/projects.schema.json", None, lambda p: 200)],
    ("GET", "/api/atlas/projects.iati.xml"): [("iati", "/api/atlas/projects.iati.xml?country=SN", None, lambda p: 200)],
    ("GET", "/api/atlas/trends/"): [("trends", "/api/atlas/trends/?continent=afrique", None, lambda p: 200)],
    ("GET", "/api/atlas/authority-suggestions/"): [
        ("by name", "/api/atlas/authority-suggestions/?q=lyon", None, lambda p: 200)
    ],
    ("GET", "/api/atlas/partner-suggestions/"): [
        ("by name", "/api/atlas/partner-suggestions/?q=dakar", None, lambda p: 200)
    ],
    ("GET", "/api/bourse/projects/"): [("bourse", "/api/bourse/projects/", None, lambda p: 200)],
    ("GET", "/api/groups/"): [("list", "/api/groups/", None, lambda p: 200)],
    ("GET", "/api/groups/{slug}/"): [("one", "/api/groups/ong/", None, lambda p: 200)],
    ("GET", "/api/me/"): [("me", "/api/me/", None, lambda p: logged_in(p, default=200))],
    ("PATCH", "/api/me/"): [("me", "/api/me/", {"last_name": "Durand"}, lambda p: logged_in(p, default=200))],
    ("GET", "/api/me/export/"): [("export", "/api/me/export/", None, lambda p: logged_in(p, default=200))],
    ("POST", "/api/me/delete/"): [
        ("delete", "/api/me/delete/", {"password": PASSWORD}, lambda p: logged_in(p, default=204, staff=403))
    ],
    ("GET", "/api/me/bookmarks/"): [("mine", "/api/me/bookmarks/", None, lambda p: logged_in(p, default=200))],
    ("POST", "/api/me/bookmarks/"): [
        ("public page", "/api/me/bookmarks/", {"page_id": "{public}"}, lambda p: logged_in(p, default=201)),
        (
            "page for local authorities",
            "/api/me/bookmarks/",
            {"page_id": "{local}"},
            lambda p: logged_in(p, default=403, collectivites=201, staff=201),
        ),
    ],
    ("PATCH", "/api/me/bookmarks/{bookmark_id}/"): [
        ("someone else's", "/api/me/bookmarks/{bookmark}/", {"note": "x"}, lambda p: logged_in(p, default=404))
    ],
    ("DELETE", "/api/me/bookmarks/{bookmark_id}/"): [
        ("someone else's", "/api/me/bookmarks/{bookmark}/", None, lambda p: logged_in(p, default=404))
    ],
    ("GET", "/api/declarations/apd/campaigns/"): [
        ("list", "/api/declarations/apd/campaigns/", None, lambda p: logged_in(p, default=200))
    ],
    ("GET", "/api/declarations/apd/campaigns/{campaign_id}/"): [
        ("one", "/api/declarations/apd/campaigns/{campaign}/", None, lambda p: logged_in(p, default=200))
    ],
    ("POST", "/api/declarations/apd/campaigns/{campaign_id}/declaration/"): [
        (
            "no authority in the profile",
            "/api/declarations/apd/campaigns/{campaign}/declaration/",
            None,
            lambda p: logged_in(p, default=403),
        )
    ],
    ("GET", "/api/declarations/apd/"): [
        ("visible ones", "/api/declarations/apd/", None, lambda p: logged_in(p, default=200))
    ],
    ("GET", "/api/declarations/apd/{declaration_id}/"): [
        ("Lyon's", "/api/declarations/apd/{declaration}/", None, lambda p: logged_in(p, default=404, staff=200))
    ],
    ("POST", "/api/declarations/apd/{declaration_id}/lines/"): [
        (
            "to Lyon's",
            "/api/declarations/apd/{declaration}/lines/",
            {"title": "x", "recipient": "SN", "purpose_code": "14030", "disbursed": "1"},
            lambda p: logged_in(p, default=404, staff=403),
        )
    ],
    ("PUT", "/api/declarations/apd/{declaration_id}/lines/{line_id}/"): [
        (
            "Lyon's",
            "/api/declarations/apd/{declaration}/lines/{line}/",
            {"title": "x", "recipient": "SN", "purpose_code": "14030", "disbursed": "1"},
            lambda p: logged_in(p, default=404, staff=403),
        )
    ],
    ("DELETE", "/api/declarations/apd/{declaration_id}/lines/{line_id}/"): [
        (
            "Lyon's",
            "/api/declarations/apd/{declaration}/lines/{line}/",
            None,
            lambda p: logged_in(p, default=404, staff=403),
        )
    ],
    ("POST", "/api/declarations/apd/{declaration_id}/copy-previous/"): [
        (
            "Lyon's",
            "/api/declarations/apd/{declaration}/copy-previous/",
            None,
            lambda p: logged_in(p, default=404, staff=403),
        )
    ],
    ("POST", "/api/declarations/apd/{declaration_id}/submit/"): [
        ("Lyon's", "/api/declarations/apd/{declaration}/submit/", None, lambda p: logged_in(p, default=404, staff=403))
    ],
    ("POST", "/api/declarations/apd/{declaration_id}/request-correction/"): [
        (
            "Lyon's draft",
            "/api/declarations/apd/{declaration}/request-correction/",
            {"reason": "Montants à revoir"},
            lambda p: logged_in(p, default=403, staff=409),
        )
    ],
    ("GET", "/api/declarations/apd/{declaration_id}/history/"): [
        ("Lyon's", "/api/declarations/apd/{declaration}/history/", None, lambda p: logged_in(p, default=404, staff=200))
    ],
    ("GET", "/api/declarations/apd/{declaration_id}/receipt.pdf"): [
        (
            "Lyon's draft, no receipt",
            "/api/declarations/apd/{declaration}/receipt.pdf",
            None,
            lambda p: logged_in(p, default=404),
        )
    ],
    ("GET", "/api/declarations/apd/codes/{kind}/"): [
        ("purpose codes", "/api/declarations/apd/codes/purpose/?q=eau", None, lambda p: 200)
    ],
    ("GET", "/api/declarations/apd/codes/{kind}/{code}"): [
        ("a purpose code", "/api/declarations/apd/codes/purpose/14030", None, lambda p: 200)
    ],
    ("GET", "/api/declarations/apd/campaigns/{campaign_id}/progress"): [
        (
            "progress",
            "/api/declarations/apd/campaigns/{campaign}/progress",
            None,
            lambda p: logged_in(p, default=403, staff=200),
        )
    ],
    ("GET", "/api/declarations/apd/campaigns/{campaign_id}/crs.csv"): [
        (
            "CRS",
            "/api/declarations/apd/campaigns/{campaign}/crs.csv",
            None,
            lambda p: logged_in(p, default=403, staff=200),
        )
    ],
    ("GET", "/api/declarations/apd/campaigns/{campaign_id}/iati.xml"): [
        (
            "IATI",
            "/api/declarations/apd/campaigns/{campaign}/iati.xml",
            None,
            lambda p: logged_in(p, default=403, staff=200),
        )
    ],
    ("GET", "/api/atlas/updates/"): [
        ("visible ones", "/api/atlas/updates/", None, lambda p: logged_in(p, default=200))
    ],
    ("POST", "/api/atlas/updates/"): [
        (
            "a project of the Atlas, by members without a profile staff verified",
            "/api/atlas/updates/",
            {"kind": "end", "project_id": "{project}", "changes": {}},
            lambda p: logged_in(p, default=403),
        )
    ],
    ("GET", "/api/atlas/updates/{update_id}/"): [
        ("Lyon's", "/api/atlas/updates/{proposal}/", None, lambda p: logged_in(p, default=404, staff=200))
    ],
    ("POST", "/api/atlas/updates/{update_id}/withdraw"): [
        ("Lyon's", "/api/atlas/updates/{proposal}/withdraw", None, lambda p: logged_in(p, default=404, staff=403))
    ],
    ("POST", "/api/atlas/updates/{update_id}/accept"): [
        ("Lyon's", "/api/atlas/updates/{proposal}/accept", {}, lambda p: logged_in(p, default=403, staff=200))
    ],
    ("POST", "/api/atlas/updates/{update_id}/reject"): [
        (
            "Lyon's",
            "/api/atlas/updates/{proposal}/reject",
            {"reason": "Non"},
            lambda p: logged_in(p, default=403, staff=409),
        )
    ],
    ("GET", "/api/bourse/entries/"): [
        ("managed ones", "/api/bourse/entries/", None, lambda p: logged_in(p, default=200))
    ],
    ("POST", "/api/bourse/entries/"): [
        (
            "no embassy country in the profile",
            "/api/bourse/entries/",
            {"title": "x", "partner_name": "y", "theme": "dechets", "description": "d", "expected_partnership": "e"},
            lambda p: logged_in(p, default=403),
        )
    ],
    ("GET", "/api/bourse/entries/{entry_id}/"): [
        ("a published entry", "/api/bourse/entries/{entry}/", None, lambda p: logged_in(p, default=200))
    ],
    ("PATCH", "/api/bourse/entries/{entry_id}/"): [
        (
            "a published entry",
            "/api/bourse/entries/{entry}/",
            {"contact": "x"},
            lambda p: logged_in(p, default=403, staff=200),
        )
    ],
    ("POST", "/api/bourse/entries/{entry_id}/moderation"): [
        (
            "a published entry",
            "/api/bourse/entries/{entry}/moderation",
            {"decision": "publish"},
            lambda p: logged_in(p, default=403, staff=200),
        )
    ],
    ("POST", "/api/bourse/entries/{entry_id}/status"): [
        (
            "a published entry",
            "/api/bourse/entries/{entry}/status",
            {"status": "in_contact"},
            lambda p: logged_in(p, default=403, staff=200),
        )
    ],
    ("POST", "/api/bourse/entries/{entry_id}/interest"): [
        (
            "no authority in the profile",
            "/api/bourse/entries/{entry}/interest",
            {"message": "Intéressés"},
            lambda p: logged_in(p, default=403),
        )
    ],
    ("GET", "/api/bourse/entries/{entry_id}/suggestions"): [
        (
            "a published entry",
            "/api/bourse/entries/{entry}/suggestions",
            None,
            lambda p: logged_in(p, default=403, staff=200),
        )
    ],
    ("GET", "/api/bourse/entries/{entry_id}/history/"): [
        (
            "a published entry",
            "/api/bourse/entries/{entry}/history/",
            None,
            lambda p: logged_in(p, default=403, staff=200),
        )
    ],
    ("POST", "/api/bourse/entries/{entry_id}/atlas-project"): [
        (
            "not matched",
            "/api/bourse/entries/{entry}/atlas-project",
            None,
            lambda p: logged_in(p, default=403, staff=409),
        )
    ],
    ("POST", "/api/newsletter/subscriptions/"): [
        ("a malformed address", "/api/newsletter/subscriptions/", {"email": "pas-une-adresse"}, lambda p: 422)
    ],
    ("POST", "/api/newsletter/subscriptions/confirm"): [
        ("a forged token", "/api/newsletter/subscriptions/confirm", {"token": "faux"}, lambda p: 422)
    ],
    ("GET", "/api/newsletter/subscriptions/me"): [
        ("none yet", "/api/newsletter/subscriptions/me", None, lambda p: logged_in(p, default=404))
    ],
    ("PUT", "/api/newsletter/subscriptions/me"): [
        (
            "turning off none",
            "/api/newsletter/subscriptions/me",
            {"subscribed": False},
            lambda p: logged_in(p, default=404),
        )
    ],
    ("POST", "/api/newsletter/unsubscribe/{token}"): [
        ("an unknown token", "/api/newsletter/unsubscribe/inconnu", None, lambda p: 404)
    ],
    ("GET", "/api/newsletter/issues/"): [("the archive", "/api/newsletter/issues/", None, lambda p: 200)],
    ("GET", "/api/newsletter/issues/{issue_id}/"): [
        ("no such issue", "/api/newsletter/issues/999999/", None, lambda p: 404)
    ],
    ("GET", "/api/me/group-requests/"): [
        ("list", "/api/me/group-requests/", None, lambda p: logged_in(p, default=200))
    ],
    ("POST", "/api/me/group-requests/"): [
        (
            "ask",
            "/api/me/group-requests/",
            {"group": "ong", "organisation": "Solidarité Sahel", "motivation": "Nouveau poste"},
            lambda p: logged_in(p, default=201, ong=422),
        )
    ],
}


def test_every_endpoint_is_in_the_matrix():
    schema = api.get_openapi_schema()
    operations = {(method.upper(), path) for path, items in schema["paths"].items() for method in items}
    assert operations == set(MATRIX)


@pytest.mark.parametrize("app", [False, True], ids=["session", "app-token"])
def test_api_permission_matrix(principal, app):
    """Each case in turn (the account deletion last), every mismatch reported at once."""
    ids = pages()
    cases = [
        (method, label, path, body, rule) for (method, _), rows in MATRIX.items() for label, path, body, rule in rows
    ]
    cases.sort(key=lambda case: case[2] == "/api/me/delete/")
    mismatches = []
    for method, label, path, body, rule in cases:
        if body:
            body = {
                key: int(value.format(**ids))
                if value in ("{public}", "{local}", "{call}", "{project}", "{space_author}")
                else pdf()
                if value == "{pdf}"
                else {name.format(**ids): item for name, item in value.items()}
                if isinstance(value, dict)
                else value
                for key, value in body.items()
            }
        response = principal.call(method, path.format(**ids), body, app=app)
        if response.status_code != rule(principal):
            mismatches.append(f"{method} {path} ({label}): {response.status_code}, expected {rule(principal)}")
        if response.status_code >= 400 and "detail" not in response.json():
            mismatches.append(f"{method} {path} ({label}): error without detail")
        if response.status_code in (401, 403) and "Réservé aux élus".encode() in response.content:
            mismatches.append(f"{method} {path} ({label}): padlocked body leaked")
    assert mismatches == []


PERSONAL_SPACE = [
    "/espace-personnel/",
    "/espace-personnel/informations-personnelles/",
    "/espace-personnel/changement-de-groupe/",
    "/espace-personnel/ma-selection/",
    "/espace-personnel/mes-cartes/",
    "/espace-personnel/mes-cartes/enregistrer/",
    "/espace-personnel/mes-exports/",
    "/espace-personnel/mes-teledeclarations/",
    "/espace-personnel/notifications/",
    "/espace-personnel/lettre/",
    "/espace-personnel/mes-donnees/",
    "/espace-personnel/mes-donnees/telecharger/",
    "/accounts/email/",
    "/accounts/password/change/",
]


def test_personal_space_pages_need_a_login(principal):
    for path in PERSONAL_SPACE:
        response = principal.client.get(path)
        if principal.user is None:
            assert response.status_code == 302, path
            assert response["Location"].startswith("/accounts/login/"), path
        else:
            assert response.status_code == 200, path


def test_admin_listings_are_staff_only(principal):
    """The registration queues and the Atlas listings, with their filters."""
    for path in [
        "/admin/extranet/memberprofile/?status__exact=pending",
        "/admin/extranet/groupchangerequest/?status__exact=pending",
        "/admin/atlas_pages/project/?kind__exact=project&continent=afrique&theme=dechets",
        "/admin/atlas_pages/frenchauthority/?kind__exact=commune",
        "/admin/atlas_pages/partnerauthority/?continent=asie",
        "/admin/atlas_pages/bourseproject/?status__exact=open",
        "/admin/cncd_forms/dossier/?state__exact=filed&avis=overdue",
        "/admin/cncd_forms/dossier/?export=csv",
        "/admin/cncd_forms/apdcampaign/",
        "/admin/cncd_forms/apddeclaration/?state__exact=submitted",
        "/admin/cncd_forms/atlasupdate/?state__exact=pending",
        "/admin/newsletter/subscription/?state__exact=confirmed",
        "/admin/newsletter/subscribers/export/",
    ]:
        response = principal.client.get(path)
        if principal.name == "staff":
            assert response.status_code == 200, path
        else:
            assert response.status_code == 302, path
            assert "/admin/login/" in response["Location"], path


TELEPROCEDURE_PAGES = ["/teleprocedures/apd/", "/teleprocedures/atlas/", "/teleprocedures/bourse-projets/"]


def test_teleprocedure_pages_are_for_those_who_file_them(principal):
    """Anonymous visitors log in first; a member whose profile names no authority (or country)
    is told what to complete; staff see every declaration and proposal."""
    for path in TELEPROCEDURE_PAGES:
        response = principal.client.get(path)
        if principal.user is None:
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), path
        else:
            assert response.status_code == expect(principal, default=403, staff=200), path
