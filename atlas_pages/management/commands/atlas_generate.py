"""Builds a realistic, reproducible Atlas dataset (replacing the current one)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from atlas_pages.atlas.generate import generate


class Command(BaseCommand):
    help = "Replace the Atlas with a generated dataset: the same --seed always gives the same data."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=12_000)
        parser.add_argument("--authorities", type=int, default=4_756, help="French local authorities")
        parser.add_argument("--countries", type=int, default=140, help="partner countries")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, projects, authorities, countries, seed, **options):
        for name, value in (("projects", projects), ("authorities", authorities), ("countries", countries)):
            if value < 1:
                raise CommandError(f"--{name} must be at least 1.")
        started = time.perf_counter()
        try:
            result = generate(projects=projects, authorities=authorities, countries=countries, seed=seed)
        except IntegrityError as error:  # generate() is one transaction: nothing was changed
            raise CommandError(
                "The Atlas cannot be replaced while records of the procedures point at it (dossiers, "
                "declarations, Atlas updates, Bourse-projets entries: load_demo makes some). Generate the "
                "full-scale Atlas on a fresh database first; load_demo then keeps it."
            ) from error
        self.stdout.write(
            f"Atlas: {result.projects} projects, {result.authorities} French authorities, {result.partners} "
            f"partner authorities in {result.countries} countries, {result.bourse} Bourse-projets entries "
            f"({time.perf_counter() - started:.1f} s, seed {seed})."
        )
