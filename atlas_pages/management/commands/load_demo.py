"""Builds a believable demo site; safe to run again (nothing is duplicated).

Each installed app may ship a ``demo`` module with ``load(report)``; they run in the order
of INSTALLED_APPS, so an app's demo can rely on the apps it depends on.

The demo accounts share a password that the README publishes: under production settings the
command refuses to run, unless ``--force-production`` is given, and then every account gets a
random password of its own, printed once.
"""

import secrets
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from atlas_pages.demo import DEMO_PASSWORD


@dataclass
class DemoReport:
    credentials: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Random passwords, one per account (production), instead of the published one.
    random_passwords: bool = False
    passwords: dict[str, str] = field(default_factory=dict)

    def credential(self, username: str, role: str) -> None:
        self.credentials.append((username, role))

    def password(self, username: str) -> str:
        """The password a demo account gets."""
        if not self.random_passwords:
            return DEMO_PASSWORD
        return self.passwords.setdefault(username, secrets.token_urlsafe(18))

    def note(self, text: str) -> None:
        self.notes.append(text)


class Command(BaseCommand):
    help = "Loads the demo content (pages, members of each group, editor, superuser). Idempotent."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force-production",
            action="store_true",
            help="Load the demo under production settings anyway, with random passwords printed once.",
        )

    def handle(self, *args, **options) -> None:
        production = getattr(settings, "CNCD_ENVIRONMENT", "") == "production"
        if production and not options["force_production"]:
            raise CommandError(
                "load_demo creates accounts whose password is published in the README: it does not run "
                "under production settings. Use --force-production to load it with random passwords."
            )
        report = DemoReport(random_passwords=production)
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if find_spec(module_name) is None:
                    continue
                import_module(module_name).load(report)
                if options["verbosity"] > 1:
                    self.stdout.write(f"  démo chargée : {app_config.label}")

        for note in report.notes:
            self.stdout.write(note)
        width = max((len(username) for username, _ in report.credentials), default=0)
        if report.random_passwords:
            self.stdout.write(
                self.style.WARNING("Démo prête. Comptes, avec leur mot de passe montré cette seule fois (notez-les) :")
            )
            for username, role in report.credentials:
                self.stdout.write(f"  {username.ljust(width)}  {report.password(username)}  {role}")
            return
        self.stdout.write(self.style.SUCCESS(f"Démo prête. Comptes (mot de passe de tous : {DEMO_PASSWORD}) :"))
        for username, role in report.credentials:
            self.stdout.write(f"  {username.ljust(width)}  {role}")
