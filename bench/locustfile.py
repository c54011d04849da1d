"""Members reading, searching the Atlas and bookmarking, as the load benchmark simulates them
(``bench/run load``). Each member starts requests at the moments of a Poisson process of mean
gap ``CNCD_LOAD_INTERVAL`` seconds, whatever the answers take (an open pace), so the offered
rate is known — members / interval — and a saturated server shows as a served rate below it,
not as members who simply wait. Each member has their own app session (``CNCD_LOAD_TOKENS``).

Why not locust's ``constant_pacing``: locust starts users in batches (``-r 50`` starts 50 at
the same instant each second) and a constant pace keeps each batch in step, so 50 members
click within the same millisecond every second for the whole run. No population of people
does that; it measures how fast the server drains a burst of 50 (p50 310 ms, p95 600 ms on
the same server that answers an even stream of the same rate in p50 10 ms, p95 70 ms).
Independent people make a Poisson stream, bursts included as chance makes them."""

import os
import random
import time

import gevent
from locust import FastHttpUser, task

# Members read the first pages of a listing far more often than the tenth.
OFFSETS = [0, 0, 0, 0, 20, 20, 40, 60, 100, 200]
SEARCHES = ["eau", "coopération", "santé", "déchets", "formation", "culture", "agriculture", "jeunesse"]
CONTINENTS = ["afrique", "asie", "europe", "amerique", "oceanie"]
TOKENS = os.environ["CNCD_LOAD_TOKENS"].split(",")
INTERVAL = float(os.environ.get("CNCD_LOAD_INTERVAL", "2"))


def poisson_pacing(mean: float):
    """An open pace with independent arrivals: each member starts a request at the moments of a
    Poisson process of rate 1 / ``mean`` (exponential gaps, measured from one start to the
    next, whatever the answers take). 200 such members offer a Poisson stream of 200 / mean
    requests a second, as independent people do."""

    def wait_time(user) -> float:
        now = time.perf_counter()
        due = getattr(user, "_next_start", now) + random.expovariate(1 / mean)  # noqa: S311
        user._next_start = max(due, now)
        return user._next_start - now

    return wait_time


class Member(FastHttpUser):
    wait_time = poisson_pacing(INTERVAL)

    def on_start(self):
        self.headers = {
            "X-Session-Token": TOKENS[self.environment.runner.user_count % len(TOKENS)],
            "Accept-Language": "fr",
        }
        self.page_ids = []
        # Members started in the same batch do not send their first request together either.
        self._next_start = time.perf_counter() + random.expovariate(1 / INTERVAL)  # noqa: S311
        gevent.sleep(self._next_start - time.perf_counter())

    def get(self, path: str, **options):
        return self.client.get(path, headers=self.headers, **options)

    def post(self, path: str, **options):
        return self.client.post(path, headers=self.headers, **options)

    def _pages(self) -> list[int]:
        if not self.page_ids:
            offset = random.choice(OFFSETS)  # noqa: S311
            answer = self.get(f"/api/pages/?limit=50&offset={offset}", name="/api/pages/")
            if answer.status_code == 200:
                self.page_ids = [page["id"] for page in answer.json()["items"]] or [1]
        return self.page_ids or [1]

    @task(4)
    def list_pages(self):
        self.get(f"/api/pages/?limit=20&offset={random.choice(OFFSETS)}", name="/api/pages/")  # noqa: S311

    @task(4)
    def read_page(self):
        page_id = random.choice(self._pages())  # noqa: S311
        with self.get(f"/api/pages/{page_id}/", name="/api/pages/{id}/", catch_response=True) as answer:
            if answer.status_code in (200, 403):  # 403: padlocked for another group, as it should
                answer.success()

    @task(3)
    def search(self):
        query = random.choice(SEARCHES)  # noqa: S311
        self.get(f"/api/atlas/projects/?q={query}&limit=20", name="/api/atlas/projects/")

    @task(1)
    def facets(self):
        continent = random.choice(CONTINENTS)  # noqa: S311
        self.get(f"/api/atlas/facets/?continent={continent}", name="/api/atlas/facets/")

    @task(1)
    def bookmark(self):
        page_id = random.choice(self._pages())  # noqa: S311
        with self.post(
            "/api/me/bookmarks/", json={"page_id": page_id}, name="/api/me/bookmarks/ (add)", catch_response=True
        ) as answer:
            if answer.status_code in (201, 403, 409):  # 409: already kept; 403: padlocked for this member
                answer.success()

    @task(1)
    def my_bookmarks(self):
        self.get("/api/me/bookmarks/", name="/api/me/bookmarks/")
