"""The permission matrix: who may call what.

Every endpoint is tried by each principal: an anonymous visitor, a member of each of the
nine actor groups, and staff (a superuser who belongs to no group). Use the ``principal``
fixture (parametrised over ``PRINCIPALS``) and ``expect`` in any app's tests::

    def test_my_endpoint(principal):
        response = principal.call("get", "/api/me/bookmarks/")
        assert response.status_code == expect(principal, anonymous=401, default=200)

``call`` goes through the browser session or, with ``app=True``, allauth's
``X-Session-Token`` as an app client would; a body with ``"__form__": True`` is sent as a
multipart form (file uploads).
"""

from dataclasses import dataclass

from django.conf import settings
from django.test import Client

from extranet.groups import ACTOR_GROUP_SLUGS

PRINCIPALS = ["anonymous", *ACTOR_GROUP_SLUGS, "staff"]


@dataclass
class Principal:
    name: str
    user: object | None
    client: Client

    @property
    def is_member(self) -> bool:
        return self.name in ACTOR_GROUP_SLUGS

    @property
    def token(self) -> str | None:
        """allauth's app session token (the session key of the logged-in session)."""
        cookie = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        return cookie.value if cookie and self.user is not None else None

    def call(self, method: str, path: str, body=None, *, app: bool = False):
        kwargs = {}
        if body is not None and body.get("__form__"):  # multipart, as a file upload is sent
            kwargs.update(data={key: value for key, value in body.items() if key != "__form__"})
        elif body is not None:
            kwargs.update(data=body, content_type="application/json")
        if app:
            client = Client()
            if self.token:
                kwargs["HTTP_X_SESSION_TOKEN"] = self.token
        else:
            client = self.client
        return getattr(client, method.lower())(path, **kwargs)


def make_principal(name: str) -> Principal:
    from tests.factories import MemberFactory, UserFactory

    client = Client()
    if name == "anonymous":
        return Principal(name, None, client)
    if name == "staff":
        user = UserFactory(username="matrix-staff", is_staff=True, is_superuser=True)
    else:
        user = MemberFactory(username=f"matrix-{name}", groups=[name])
    client.force_login(user)
    return Principal(name, user, client)


def expect(principal: Principal, default: int, **by_name: int) -> int:
    """The status ``principal`` should get: its own entry, else ``member=`` for any of the nine
    groups, else ``default``. Group slugs with dashes are written with underscores."""
    key = principal.name.replace("-", "_")
    if key in by_name:
        return by_name[key]
    if principal.is_member and "member" in by_name:
        return by_name["member"]
    return default
