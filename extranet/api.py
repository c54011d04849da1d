from django.http import HttpRequest
from ninja import Field, Router, Schema

from atlas_pages.auth import member_auth
from atlas_pages.exceptions import NotFound

from . import services

router = Router(tags=["extranet"])


class ActorGroupOut(Schema):
    slug: str
    name: str


class MeOut(Schema):
    id: int
    username: str
    email: str
    first_name: str
    last_name: str
    is_staff: bool
    groups: list[ActorGroupOut]


class MeIn(Schema):
    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)


def _group_out(group) -> ActorGroupOut:
    return ActorGroupOut(slug=group.slug, name=str(group.label))


@router.get("/groups/", response=list[ActorGroupOut], summary="The nine actor groups", auth=None)
def list_groups(request: HttpRequest):
    """The groups a visitor can register into, names in the requested language."""
    return [_group_out(group) for group in services.actor_groups()]


@router.get("/groups/{slug}/", response=ActorGroupOut, summary="One actor group", auth=None)
def get_group(request: HttpRequest, slug: str):
    for group in services.actor_groups():
        if group.slug == slug:
            return _group_out(group)
    raise NotFound()


def _me_out(user) -> MeOut:
    return MeOut(
        id=user.pk,
        username=user.get_username(),
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        is_staff=user.is_staff,
        groups=[_group_out(group) for group in services.member_groups(user)],
    )


@router.get("/me/", response=MeOut, summary="My profile", auth=member_auth)
def me(request: HttpRequest):
    return _me_out(request.user)


@router.patch("/me/", response=MeOut, summary="Update my profile", auth=member_auth)
def update_me(request: HttpRequest, payload: MeIn):
    """Changes only the fields sent; the rest of the profile is kept as it is."""
    user = services.update_profile(request.user, **payload.dict(exclude_unset=True))
    return _me_out(user)
