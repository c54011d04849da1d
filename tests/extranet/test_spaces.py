"""Thematic spaces: members open discussions and reply in the spaces the padlock lets them into;
the same rule holds on the pages, the API, the search, the feeds, the newsletter and the e-mails;
what members type is escaped everywhere it is shown."""

from html import unescape

import pytest
from django.core import mail

from extranet.models import Discussion, Message, Notice
from extranet.spaces import services
from tests.factories import MemberFactory, add_space

pytestmark = pytest.mark.django_db

MARKUP = '<script>alert("x")</script><b>gras</b> & <img src=x onerror=alert(1)>'


@pytest.fixture
def spaces():
    return {
        "public": add_space("Tourisme responsable"),
        "members": add_space("Eau et assainissement", members=True),
        "embassies": add_space("Réseau des ambassades", "ambassades"),
    }


def member(username: str, group: str = "collectivites", **fields):
    return MemberFactory(username=username, groups=[group], first_name=fields.pop("first_name", "Claire"), **fields)


def open_in(client, space, title="Une question", text="Qui a de l'expérience ?"):
    return client.post(
        f"/api/spaces/{space.pk}/discussions/", {"title": title, "text": text}, content_type="application/json"
    )


def test_a_member_opens_a_discussion_and_another_replies(client, spaces):
    lyon, dakar = member("lyon"), member("dakar", "ong", first_name="Awa")
    client.force_login(lyon)
    response = open_in(client, spaces["public"], "Écotourisme au Sénégal", "Premier message.")
    assert response.status_code == 201, response.content
    discussion = response.json()
    assert discussion["followed"] is True and discussion["message_count"] == 1
    client.force_login(dakar)
    response = client.post(
        f"/api/spaces/discussions/{discussion['id']}/messages/", {"text": "Réponse."}, content_type="application/json"
    )
    assert response.status_code == 201
    shown = client.get(f"/api/spaces/discussions/{discussion['id']}/").json()
    assert [item["text"] for item in shown["messages"]] == ["Premier message.", "Réponse."]
    assert shown["message_count"] == 2
    page = client.get(discussion["url"])
    assert page.status_code == 200
    assert "Premier message." in page.content.decode() and "Réponse." in page.content.decode()


def test_what_members_type_is_checked_field_by_field(client, spaces):
    client.force_login(member("lyon"))
    response = open_in(client, spaces["public"], "  ", "")
    assert response.status_code == 422
    assert {item["field"] for item in response.json()["detail"]} == {"title", "text"}
    response = open_in(client, spaces["public"], "Titre", "x" * 10001)
    assert response.status_code == 422
    assert {item["field"] for item in response.json()["detail"]} == {"text"}
    assert Discussion.objects.count() == 0


def test_markup_posted_is_escaped_on_the_page_and_in_the_api(client, spaces):
    client.force_login(member("lyon"))
    discussion = open_in(client, spaces["public"], MARKUP, MARKUP).json()
    html = client.get(discussion["url"]).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html
    shown = client.get(f"/api/spaces/discussions/{discussion['id']}/").json()["messages"][0]
    assert shown["text"] == MARKUP
    assert "<script>" not in shown["html"] and "&lt;b&gt;gras&lt;/b&gt; &amp; &lt;img" in shown["html"]


# --- one visibility rule, on every channel --------------------------------------------------------


@pytest.fixture
def talks(spaces):
    """A discussion in each space, opened by someone the space admits."""
    lyon, embassy = member("lyon"), member("ambassade", "ambassades")
    return {
        "public": services.open_discussion(lyon, spaces["public"].pk, "Sentiers solidaires", "Texte public."),
        "members": services.open_discussion(lyon, spaces["members"].pk, "Forages partagés", "Texte membres."),
        "embassies": services.open_discussion(
            embassy, spaces["embassies"].pk, "Télégramme diplomatique", "Texte ambassades."
        ),
    }


def test_who_sees_which_space_through_the_api(client, spaces, talks):
    def statuses():
        return {name: client.get(f"/api/spaces/{space.pk}/discussions/").status_code for name, space in spaces.items()}

    listed = {item["title"]: item for item in client.get("/api/spaces/").json()["items"]}
    assert listed["Réseau des ambassades"]["locked"] and listed["Réseau des ambassades"]["discussion_count"] is None
    assert not listed["Tourisme responsable"]["locked"] and listed["Tourisme responsable"]["discussion_count"] == 1
    assert statuses() == {"public": 200, "members": 401, "embassies": 401}
    assert client.get(f"/api/spaces/discussions/{talks['members'].pk}/").status_code == 401
    client.force_login(member("ong", "ong"))
    assert statuses() == {"public": 200, "members": 200, "embassies": 403}
    assert client.get(f"/api/spaces/discussions/{talks['embassies'].pk}/").status_code == 403
    detail = client.get(f"/api/spaces/{spaces['embassies'].pk}/")
    assert detail.status_code == 403 and "Télégramme" not in detail.content.decode()
    client.force_login(member("ambassade-2", "ambassades"))
    assert statuses() == {"public": 200, "members": 200, "embassies": 200}
    detail = client.get(f"/api/spaces/{spaces['embassies'].pk}/").json()
    assert (detail["visibility"], detail["groups"], detail["may_write"]) == ("groups", ["Ambassades"], True)
    assert client.get(f"/api/spaces/{spaces['members'].pk}/").json()["visibility"] == "members"


def test_a_space_kept_for_a_group_shows_outsiders_its_description_only(client, spaces, talks):
    url = spaces["embassies"].url
    anonymous = client.get(url)
    assert "Log in" in anonymous.content.decode() or "Se connecter" in anonymous.content.decode()
    discussion_url = services.discussion_url(talks["embassies"])
    for who in (None, member("ong", "ong")):
        if who:
            client.force_login(who)
        for address in (url, discussion_url, url + "rss/"):
            html = client.get(address).content.decode()
            assert "Télégramme" not in html and "Texte ambassades" not in html, (who, address)
    assert client.get(discussion_url).status_code == 403
    client.force_login(member("ambassade-2", "ambassades"))
    assert "Texte ambassades" in client.get(discussion_url).content.decode()


def test_the_site_search_finds_discussions_in_the_spaces_the_reader_may_enter(client, talks):
    def found(word):
        html = client.get("/recherche/", {"q": word}).content.decode()
        return "Télégramme" in html, "Forages" in html, "Sentiers" in html

    assert found("texte") == (False, False, True)
    client.force_login(member("ong", "ong"))
    assert found("texte") == (False, True, True)
    assert found("ambassades") == (False, False, False)
    client.force_login(member("ambassade-2", "ambassades"))
    assert found("ambassades") == (True, False, False)


def test_the_feed_of_a_public_space_lists_its_discussions_escaped(client, spaces):
    import xml.etree.ElementTree as ET

    services.open_discussion(member("lyon"), spaces["public"].pk, "Tourisme <b>vert</b>", MARKUP)
    response = client.get(spaces["public"].url + "rss/")
    assert response.status_code == 200 and "<script>" not in response.content.decode()
    items = ET.fromstring(response.content).find("channel").findall("item")
    assert [item.findtext("title") for item in items] == ["Tourisme <b>vert</b>"]  # XML-escaped on the wire
    description = items[0].findtext("description")  # HTML for the reader: the member's markup escaped in it
    assert "<script>" not in description and "&lt;script&gt;alert" in description
    assert items[0].findtext("link").endswith(f"/discussions/{Discussion.objects.get().pk}/")
    members_feed = client.get(spaces["members"].url + "rss/")
    assert b"<rss" not in members_feed.content


def test_the_newsletter_announces_discussions_of_public_spaces_only(talks):
    from newsletter.models import NewsletterIndexPage, NewsletterIssuePage
    from newsletter.rendering import build
    from tests.factories import add_page, home_page

    archive = add_page(home_page(), NewsletterIndexPage, title="Lettre", slug="lettre")
    issue = add_page(archive, NewsletterIssuePage, title="Décembre", subject="La lettre de décembre")
    services.open_discussion(member("paris"), talks["public"].space_id, MARKUP, "Texte.")
    compiled = build(issue)
    for part in (compiled.html, compiled.text):
        assert "Sentiers solidaires" in part
        assert "Forages" not in part and "Télégramme" not in part
    assert "<script>" not in compiled.html and "&lt;script&gt;" in compiled.html


# --- writing: who may, and suspensions --------------------------------------------------------------


def test_only_verified_members_write_and_only_where_they_may_read(client, spaces):
    from tests.factories import member_with_profile

    assert open_in(client, spaces["public"]).status_code == 401
    pending = member_with_profile("en-attente", "ong")  # registered, not verified: no group yet
    pending.groups.clear()
    client.force_login(pending)
    refused = open_in(client, spaces["public"])
    assert refused.status_code == 403 and "vérifiée" in refused.json()["detail"]
    client.force_login(member("ong", "ong"))
    assert open_in(client, spaces["embassies"]).status_code == 403
    assert open_in(client, spaces["members"]).status_code == 201
    assert Discussion.objects.count() == 1


@pytest.fixture
def thread(spaces):
    lyon = member("lyon", first_name="Louis", last_name="Lyon")
    discussion = services.open_discussion(lyon, spaces["public"].pk, "Sentiers", "Message correct.")
    troll = member("troll", "ong", first_name="Tom", last_name="Troll")
    bad = services.reply(troll, discussion.pk, "Propos injurieux " + MARKUP)
    return discussion, lyon, troll, bad


def test_a_member_reports_a_message_and_the_moderators_are_told(client, thread):
    from tests.factories import moderator

    discussion, lyon, _troll, bad = thread
    moderator("mona")
    mail.outbox.clear()
    client.force_login(lyon)
    url = f"/api/spaces/messages/{bad.pk}/report/"
    response = client.post(url, {"reason": "Insultes"}, content_type="application/json")
    assert response.status_code == 201
    assert client.post(url, {"reason": "Encore"}, content_type="application/json").status_code == 409
    assert (
        client.post(url.replace(str(bad.pk), "999999"), {"reason": "x"}, content_type="application/json").status_code
        == 404
    )
    [sent] = mail.outbox
    assert "mona@example.org" in sent.to[0] or sent.to[0].startswith("mona")
    assert "Insultes" in sent.body and f"#message-{bad.pk}" in sent.body
    html = sent.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert client.get("/api/spaces/reports/").status_code == 403  # the member is no moderator


def test_moderators_hide_edit_and_suspend_and_each_act_is_logged(client, thread):
    from extranet.models import ModerationEntry
    from tests.factories import moderator

    discussion, lyon, troll, bad = thread
    mona = moderator("mona")
    client.force_login(lyon)
    client.post(f"/api/spaces/messages/{bad.pk}/report/", {"reason": "Insultes"}, content_type="application/json")
    for who in (lyon, troll):
        client.force_login(who)
        refused = client.post(
            f"/api/spaces/messages/{bad.pk}/moderation/",
            {"action": "hide", "reason": "x"},
            content_type="application/json",
        )
        assert refused.status_code == 403
    client.force_login(mona)
    assert [item["reason"] for item in client.get("/api/spaces/reports/").json()] == ["Insultes"]
    hidden = client.post(
        f"/api/spaces/messages/{bad.pk}/moderation/",
        {"action": "hide", "reason": "Propos injurieux"},
        content_type="application/json",
    )
    assert hidden.status_code == 200 and hidden.json()["hidden"] and hidden.json()["text"].startswith("Propos")
    assert client.get("/api/spaces/reports/").json() == []

    client.force_login(lyon)
    shown = client.get(f"/api/spaces/discussions/{discussion.pk}/").json()["messages"]
    assert [(item["hidden"], item["text"], item["author_id"]) for item in shown] == [
        (False, "Message correct.", None),
        (True, "", None),
    ]
    page = client.get(services.discussion_url(discussion)).content.decode()
    assert "injurieux" not in page and "masqué par la modération" in page
    assert 'id="space-results"' not in client.get("/recherche/", {"q": "injurieux"}).content.decode()
    assert 'id="space-results"' in client.get("/recherche/", {"q": "correct"}).content.decode()

    client.force_login(mona)
    edited = client.post(
        f"/api/spaces/messages/{discussion.messages.first().pk}/moderation/",
        {"action": "edit", "text": "Message reformulé.", "reason": "Coordonnées personnelles retirées"},
        content_type="application/json",
    )
    assert edited.status_code == 200 and edited.json()["edited_by_moderators"]
    no_reason = client.post(
        f"/api/spaces/messages/{bad.pk}/moderation/", {"action": "edit", "text": "x"}, content_type="application/json"
    )
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["field"] == "reason"
    space_id = discussion.space_id
    suspended = client.post(
        f"/api/spaces/{space_id}/suspensions/",
        {"member": troll.pk, "reason": "Insultes répétées"},
        content_type="application/json",
    )
    assert suspended.status_code == 201
    assert (
        client.post(
            f"/api/spaces/{space_id}/suspensions/", {"member": mona.pk, "reason": "x"}, content_type="application/json"
        ).json()["detail"][0]["field"]
        == "member"
    )

    client.force_login(troll)
    refused = client.post(
        f"/api/spaces/discussions/{discussion.pk}/messages/", {"text": "Encore"}, content_type="application/json"
    )
    assert refused.status_code == 403 and "Insultes répétées" in refused.json()["detail"]
    assert open_in(client, discussion.space).status_code == 403
    assert client.get(f"/api/spaces/discussions/{discussion.pk}/").status_code == 200  # still reads
    page = client.get(services.discussion_url(discussion)).content.decode()
    assert "suspendu" in page and 'value="reply"' not in page

    client.force_login(mona)
    log = client.get("/api/spaces/moderation-log/").json()
    assert [item["action"] for item in log] == ["suspend", "edit", "hide"]
    assert log[1]["previous_text"] == "Message correct." and log[1]["moderator"].startswith("Mona Dératrice")
    assert log[0]["member"].startswith("Tom Troll")
    [current] = client.get(f"/api/spaces/{space_id}/suspensions/").json()
    assert client.delete(f"/api/spaces/suspensions/{current['id']}/").status_code == 204
    assert ModerationEntry.objects.first().action == "lift"
    client.force_login(troll)
    assert (
        client.post(
            f"/api/spaces/discussions/{discussion.pk}/messages/", {"text": "Pardon."}, content_type="application/json"
        ).status_code
        == 201
    )


def test_the_moderators_act_from_the_discussion_page_too(client, thread):
    from tests.factories import moderator

    discussion, _lyon, troll, bad = thread
    client.force_login(moderator("mona"))
    url = services.discussion_url(discussion)
    page = client.get(url).content.decode()
    assert 'value="hide"' in page and f'name="member" value="{troll.pk}"' in page
    response = client.post(url, {"action": "hide", "message": bad.pk, "reason": "Hors sujet"})
    assert response.status_code == 302
    bad.refresh_from_db()
    assert bad.is_hidden
    response = client.post(url, {"action": "suspend", "member": troll.pk, "reason": "", "until": ""})
    assert response.status_code == 400  # the reason is required, and said so
    response = client.post(
        url, {"action": "suspend", "member": troll.pk, "reason": "Hors sujet", "until": "2099-01-01"}
    )
    assert response.status_code == 302
    assert services.suspension_of(troll, discussion.space).until.year == 2099


# --- following, notifications and the weekly e-mail ------------------------------------------------


def test_followers_are_notified_in_their_personal_space(client, spaces):
    lyon, paris, nice = member("lyon"), member("paris"), member("nice")
    services.follow(paris, space_id=spaces["public"].pk)
    discussion = services.open_discussion(lyon, spaces["public"].pk, "Écogîtes", MARKUP)
    assert list(Notice.objects.values_list("user__username", flat=True)) == ["paris"]
    services.follow(nice, discussion_id=discussion.pk)
    services.reply(paris, discussion.pk, "Réponse de Paris")
    assert sorted(Notice.objects.filter(subject__contains="réponse").values_list("user__username", flat=True)) == [
        "lyon",  # the author follows what they opened
        "nice",
    ]
    client.force_login(paris)
    page = client.get("/espace-personnel/notifications/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_a_follower_whose_group_no_longer_enters_the_space_is_told_nothing(spaces):
    embassy, former = member("ambassade", "ambassades"), member("ancien", "ambassades")
    services.follow(former, space_id=spaces["embassies"].pk)
    former.groups.clear()
    former._padlock_group_ids = None
    services.open_discussion(embassy, spaces["embassies"].pk, "Confidentiel", "Texte réservé.")
    assert Notice.objects.count() == 0


def test_the_weekly_email_lists_what_is_new_once_and_stops_in_one_click(client, spaces, settings):
    import datetime as dt

    from django.utils import timezone

    from extranet.spaces import digest

    lyon, paris, ong = member("lyon"), member("paris"), member("ong", "ong")
    former = member("ancien", "ambassades")
    services.follow(paris, space_id=spaces["public"].pk)
    services.follow(former, space_id=spaces["embassies"].pk)
    former.groups.clear()  # staff moved them to another group: the embassies' space is closed to them now
    services.follow(ong, space_id=spaces["members"].pk)
    services.open_discussion(lyon, spaces["public"].pk, "Écogîtes " + MARKUP, "Premier.")
    hidden = services.open_discussion(lyon, spaces["public"].pk, "Disparue", "Masqué.")
    from tests.factories import moderator

    services.set_hidden(moderator("mona"), hidden.messages.get().pk, True, "Doublon")
    services.open_discussion(member("ambassade", "ambassades"), spaces["embassies"].pk, "Confidentiel", "Réservé.")
    mail.outbox.clear()
    assert digest.send_due() == 1  # Paris; ONG follows a space where nothing happened, the former embassy member is out
    [sent] = mail.outbox
    assert sent.to == [paris.email]
    assert "Écogîtes" in sent.body and "Disparue" not in sent.body and "Confidentiel" not in sent.body
    html = sent.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html
    stop_url = sent.extra_headers["List-Unsubscribe"].strip("<>")
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail.outbox.clear()
    assert digest.send_due() == 0  # a second run sends nothing twice
    services.reply(lyon, Discussion.objects.get(title__startswith="Écogîtes").pk, "Suite.")
    assert digest.send_due(timezone.now() + dt.timedelta(days=3)) == 0  # a week at most
    path = stop_url.split("testserver")[-1] if "testserver" in stop_url else "/" + stop_url.split("/", 3)[3]
    assert (
        client.get(path).status_code == 200 and digest.settings_of(paris).active
    )  # a link checker's GET stops nothing
    assert client.post(path).status_code == 200
    assert digest.settings_of(paris).active is False
    assert digest.send_due(timezone.now() + dt.timedelta(days=8)) == 0
    assert client.post(path[:-5] + "abcd/").status_code == 404


# --- personal data, and the cost of the pages ------------------------------------------------------


def test_personal_data_holds_the_messages_and_deletion_unsigns_them(client, thread):
    from extranet import services as members

    discussion, lyon, _troll, _bad = thread
    data = members.personal_data(lyon)
    assert [item["text"] for item in data["space_messages"]] == ["Message correct."]
    assert data["space_followings"] == ["Sentiers"]
    from atlas_pages.core import hooks as cncd_hooks

    for before in cncd_hooks.implementations(cncd_hooks.BEFORE_ACCOUNT_DELETION):
        before(lyon)
    lyon.delete()
    first = Message.objects.filter(discussion=discussion).first()
    assert first.author is None and first.author_name == "Ancien membre"


def test_listing_a_space_costs_the_same_whatever_its_size(client, spaces, django_assert_max_num_queries):
    lyon = member("lyon")
    for number in range(30):
        discussion = services.open_discussion(lyon, spaces["public"].pk, f"Discussion {number}", "Texte.")
        services.reply(member(f"m{number}"), discussion.pk, "Réponse.")
    client.force_login(member("paris"))
    with django_assert_max_num_queries(12):
        assert len(client.get(f"/api/spaces/{spaces['public'].pk}/discussions/?limit=100").json()["items"]) == 30
    with django_assert_max_num_queries(12):
        assert client.get("/api/spaces/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"/api/spaces/discussions/{discussion.pk}/").status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(spaces["public"].url).status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(services.discussion_url(discussion)).status_code == 200


def test_the_home_page_shows_the_latest_discussions_the_reader_may_read(client, talks):
    from tests.factories import home_page

    def shown():
        html = client.get(home_page().url).content.decode()
        return "Sentiers solidaires" in html, "Forages partagés" in html, "Télégramme" in html

    assert shown() == (True, False, False)
    client.force_login(member("ong", "ong"))
    assert shown() == (True, True, False)
    client.force_login(member("ambassade-2", "ambassades"))
    assert shown() == (True, True, True)


def test_an_outsider_is_told_the_space_is_kept_for_others(client, spaces):
    html = client.get(spaces["embassies"].url).content.decode()
    assert "Se connecter pour entrer dans l'espace" in unescape(html) and spaces["embassies"].teaser in html
    client.force_login(member("ong", "ong"))
    response = client.get(spaces["embassies"].url)
    assert response.status_code == 403 and "Ambassades" in response.content.decode()


def test_writing_in_the_spaces_is_rate_limited_on_every_door(client, spaces, settings):
    from django.core.cache import cache

    cache.clear()
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "space_post": "3/m/user"}
    client.force_login(member("bavard"))
    discussion = open_in(client, spaces["public"]).json()
    replies = [
        client.post(
            f"/api/spaces/discussions/{discussion['id']}/messages/",
            {"text": f"Encore {n}"},
            content_type="application/json",
        ).status_code
        for n in range(3)
    ]
    assert replies == [201, 201, 429]
    page = client.post(discussion["url"], {"action": "reply", "text": "Par la page"})
    assert page.status_code == 400 and Message.objects.filter(text="Par la page").count() == 0
    assert Message.objects.count() == 3
