"""Who the load benchmark logs in as (imported without locust, which patches the interpreter)."""

# The demo accounts (manage.py load_demo), one per actor group.
ACCOUNTS = [
    "demo-ambassades",
    "demo-collectivites",
    "demo-associations-nationales-elus",
    "demo-associations-internationales-elus",
    "demo-reseaux-regionaux",
    "demo-ministeres-operateurs",
    "demo-prefectures",
    "demo-ong",
    "demo-entreprises",
]
PASSWORD = "Cncd-demo-2026"
