"""Members reading, searching the Atlas and bookmarking, as the load benchmark simulates them
(``bench/run load``). Each member sends one request every ``CNCD_LOAD_INTERVAL`` seconds
whatever the answers take (an open pace: ``constant_pacing``), so the offered rate is known —
members × 1 / interval — and a saturated server shows as a served rate below it, not as
members who simply wait. Each member has their own app session (``CNCD_LOAD_TOKENS``)."""

import os
import random

from locust import HttpUser, constant_pacing, task

# Members read the first pages of a listing far more often than the tenth.
OFFSETS = [0, 0, 0, 0, 20, 20, 40, 60, 100, 200]
SEARCHES = ["eau", "coopération", "santé", "déchets", "formation", "culture", "agriculture", "jeunesse"]
CONTINENTS = ["afrique", "asie", "europe", "amerique", "oceanie"]
TOKENS = os.environ["CNCD_LOAD_TOKENS"].split(",")
INTERVAL = float(os.environ.get("CNCD_LOAD_INTERVAL", "2"))


class Member(HttpUser):
    wait_time = constant_pacing(INTERVAL)

    def on_start(self):
        self.client.headers["X-Session-Token"] = TOKENS[self.environment.runner.user_count % len(TOKENS)]
        self.client.headers["Accept-Language"] = "fr"
        self.page_ids = []

    def _pages(self) -> list[int]:
        if not self.page_ids:
            offset = random.choice(OFFSETS)  # noqa: S311
            answer = self.client.get(f"/api/pages/?limit=50&offset={offset}", name="/api/pages/")
            if answer.status_code == 200:
                self.page_ids = [page["id"] for page in answer.json()["items"]] or [1]
        return self.page_ids or [1]

    @task(4)
    def list_pages(self):
        self.client.get(f"/api/pages/?limit=20&offset={random.choice(OFFSETS)}", name="/api/pages/")  # noqa: S311

    @task(4)
    def read_page(self):
        page_id = random.choice(self._pages())  # noqa: S311
        with self.client.get(f"/api/pages/{page_id}/", name="/api/pages/{id}/", catch_response=True) as answer:
            if answer.status_code in (200, 403):  # 403: padlocked for another group, as it should
                answer.success()

    @task(3)
    def search(self):
        query = random.choice(SEARCHES)  # noqa: S311
        self.client.get(f"/api/atlas/projects/?q={query}&limit=20", name="/api/atlas/projects/")

    @task(1)
    def facets(self):
        continent = random.choice(CONTINENTS)  # noqa: S311
        self.client.get(f"/api/atlas/facets/?continent={continent}", name="/api/atlas/facets/")

    @task(1)
    def bookmark(self):
        page_id = random.choice(self._pages())  # noqa: S311
        with self.client.post(
            "/api/me/bookmarks/", json={"page_id": page_id}, name="/api/me/bookmarks/ (add)", catch_response=True
        ) as answer:
            if answer.status_code in (201, 403, 409):  # 409: already kept; 403: padlocked for this member
                answer.success()

    @task(1)
    def my_bookmarks(self):
        self.client.get("/api/me/bookmarks/", name="/api/me/bookmarks/")
