"""Factories shared by every test module."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from extranet.models import ActorGroup

PASSWORD = "Un-mot-de-passe-solide-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Dominique"
    last_name = "Martin"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create:
            user.save()
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )


class MemberFactory(UserFactory):
    """A member of the actor groups named by slug: MemberFactory(groups=["ambassades"])."""

    @factory.post_generation
    def groups(user, create, extracted, **kwargs):
        if create and extracted:
            for actor in ActorGroup.objects.filter(slug__in=extracted).select_related("group"):
                user.groups.add(actor.group)
