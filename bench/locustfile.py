"""Members reading, bookmarking and searching, as the load benchmark simulates them
(``bench/run load``). The benchmark logs the demo accounts in once, through allauth's app API,
and hands their session tokens over in ``CNCD_LOAD_TOKENS``: the simulated members share them
(logging 200 people in at once would measure password hashing and the login rate limit, which
are meant to be slow)."""

import os
import random

from locust import HttpUser, between, task

SEARCHES = ["eau", "coopération", "santé", "déchets", "formation", "culture"]


class Member(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        tokens = os.environ["CNCD_LOAD_TOKENS"].split(",")
        self.client.headers["X-Session-Token"] = random.choice(tokens)  # noqa: S311
        pages = self.client.get("/api/pages/?limit=50", name="/api/pages/").json()["items"]
        self.page_ids = [page["id"] for page in pages if not page.get("locked")] or [0]

    @task(5)
    def read(self):
        self.client.get("/api/pages/?limit=20", name="/api/pages/")
        self.client.get(f"/api/pages/{random.choice(self.page_ids)}/", name="/api/pages/{id}/")  # noqa: S311

    @task(3)
    def search(self):
        query = random.choice(SEARCHES)  # noqa: S311
        self.client.get(f"/api/atlas/projects/?q={query}&limit=20", name="/api/atlas/projects/")
        self.client.get("/api/atlas/facets/?continent=afrique", name="/api/atlas/facets/")

    @task(1)
    def bookmark(self):
        page_id = random.choice(self.page_ids)  # noqa: S311
        with self.client.post(
            "/api/me/bookmarks/", json={"page_id": page_id}, name="/api/me/bookmarks/", catch_response=True
        ) as response:
            if response.status_code in (201, 409):  # 409: already in the selection
                response.success()
        listing = self.client.get("/api/me/bookmarks/", name="/api/me/bookmarks/ (list)").json()
        mine = listing if isinstance(listing, list) else listing.get("items", [])
        if mine:
            bookmark = random.choice(mine)  # noqa: S311
            with self.client.delete(
                f"/api/me/bookmarks/{bookmark['id']}/", name="/api/me/bookmarks/{id}/", catch_response=True
            ) as response:
                if response.status_code in (204, 404):  # 404: another member on the same account removed it
                    response.success()
