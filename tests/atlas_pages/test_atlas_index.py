"""The Atlas's index answers searches as the database would: on a generated Atlas, every filter
alone and in mixes gives the same projects, in the same order of what it sorts by, and the same
facet counts as the SQL search (``atlas_search.search``, which says what each filter means).
The index is built once per version and shared through the cache, and a change is seen at once."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.http import QueryDict

from atlas_pages.atlas import index as atlas_index
from atlas_pages.atlas import search as atlas_search
from atlas_pages.models import Country, FrenchAuthority, PartnerAuthority, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # as if committed
        call_command("atlas_generate", projects=400, authorities=150, countries=14, seed=11)
    authority = FrenchAuthority.objects.filter(projects__isnull=False).order_by("pk").first()
    partner = PartnerAuthority.objects.filter(projects__isnull=False).order_by("pk").first()
    country = Project.objects.order_by("pk").values_list("country__iso2", flat=True).first()
    empty = Country.objects.filter(projects=None).order_by("iso2").values_list("iso2", flat=True).first()
    return {"authority": authority, "partner": partner, "country": country, "empty": empty}


def queries(generated) -> list[str]:
    authority, partner, country = generated["authority"], generated["partner"], generated["country"]
    return [
        "",
        f"country={country}",
        "continent=afrique",
        "continent=asie&kind=twinning",
        f"region={_region_code(authority.region)}",
        f"department={authority.department_code or '69'}",
        f"authority={authority.code}",
        f"partner={partner.pk}",
        "theme=eau-assainissement",
        "theme=education-jeunesse&status=ongoing",
        "status=completed&ordering=-start_year",
        "year=2015",
        "year=2015&kind=project&ordering=start_year",
        "bbox=-18,4,16,28",
        "bbox=170,-50,-170,10",  # across the date line
        "bbox=-180,-90,180,90&ordering=country",
        "q=eau",
        "q=eau cooperation&continent=afrique",
        "ordering=-title",
        "ordering=updated",
        f"country={generated['empty']}",  # a country no project has: nothing
        "continent=europe&theme=sante-social&ordering=-updated",
    ]


def _region_code(name: str) -> str:
    from atlas_pages.atlas.geography import regions

    return next(code for code, region in regions().items() if region == name)


KEYS = {"title": "title", "start_year": "start_year", "country": "country__name_fr", "updated": "updated_at"}


def test_the_index_finds_what_the_database_finds_in_the_same_order(generated):
    for query in queries(generated):
        params = QueryDict(query)
        expected = list(atlas_search.search(params).values_list("pk", flat=True))
        found = atlas_search.find(params)
        ids = found.ids()
        assert found.count == len(expected), query
        assert sorted(ids) == sorted(expected), query
        ordering = params.get("ordering", "title")
        key = KEYS[ordering.lstrip("-")]
        value = dict(Project.objects.filter(pk__in=ids).values_list("pk", key))
        assert [value[pk] for pk in ids] == [value[pk] for pk in expected], query  # ties aside
        assert found.ids(5, 7) == ids[5:12], query


def test_facets_count_what_the_database_counts(generated):
    for query in queries(generated):
        params = QueryDict(query)
        matching = atlas_search.search(params)
        facets = atlas_search.find(params).facets()
        counted = {
            name: {item["value"]: item["count"] for item in items if item["count"]} for name, items in facets.items()
        }
        assert counted["country"] == dict(Counter(matching.values_list("country__iso2", flat=True))), query
        assert counted["kind"] == dict(Counter(matching.values_list("kind", flat=True))), query
        assert counted["status"] == dict(Counter(matching.values_list("status", flat=True))), query
        assert counted["theme"] == dict(
            Counter(matching.values_list("themes__slug", flat=True).exclude(themes=None))
        ), query
        departments = Counter(
            code for _pk, code in set(matching.values_list("pk", "french_authorities__department_code")) if code
        )
        assert counted["department"] == dict(departments), query
        spans = list(matching.values_list("start_year", "end_year"))
        if spans:
            horizon = max([atlas_index.CURRENT_YEAR] + [end or start for start, end in spans])
            active = Counter(year for start, end in spans for year in range(start, (end or horizon) + 1))
            assert counted["year"] == {str(year): number for year, number in active.items()}, query


def test_an_unknown_filter_value_is_a_field_error_not_an_empty_result(generated):
    with pytest.raises(atlas_search.ValidationError) as error:
        atlas_search.find(QueryDict("country=XX&year=abc"))
    assert set(error.value.message_dict) == {"country", "year"}


def test_the_index_is_built_once_per_version_and_shared_through_the_cache(
    generated, django_assert_num_queries, django_assert_max_num_queries
):
    atlas_search.find(QueryDict(""))  # built by this process
    atlas_index._current = None  # as another process, which has no copy of its own
    with django_assert_num_queries(0):
        assert atlas_search.find(QueryDict("continent=afrique")).count > 0
    built = atlas_index.current()
    project = Project.objects.order_by("pk").first()
    project.title = "Zzz dernier par le titre"
    project.save()  # bumps the version: the next search sees the change
    assert atlas_index.current() is not built
    assert atlas_search.find(QueryDict("")).ids() == list(
        Project.objects.order_by("title", "pk").values_list("pk", flat=True)
    )


def test_building_the_index_costs_the_same_queries_at_any_size(django_assert_max_num_queries):
    call_command("atlas_generate", projects=50, authorities=40, countries=5, seed=3)
    with django_assert_max_num_queries(12):
        small = atlas_index.build("small")
    call_command("atlas_generate", projects=500, authorities=150, countries=20, seed=3)
    with django_assert_max_num_queries(12):
        large = atlas_index.build("large")
    assert (small.size, large.size) == (50, 500)


def test_the_map_gets_clusters_for_its_zoom_that_add_up_to_the_results(client, generated):
    everything = client.get("/api/atlas/projects.geojson").json()
    located = len(everything["features"])
    world = client.get("/api/atlas/projects.geojson?zoom=2").json()
    assert world["count"] == located
    assert sum(feature["properties"].get("count", 1) for feature in world["features"]) == located
    assert len(world["features"]) < located / 4  # gathered: far fewer features than points
    for feature in world["features"]:
        lng, lat = feature["geometry"]["coordinates"]
        if feature["properties"].get("cluster"):
            west, south, east, north = feature["properties"]["bbox"]
            assert west <= lng <= east and south <= lat <= north
        else:
            assert feature["properties"]["title"]  # a lone project, as without zoom
    close = client.get("/api/atlas/projects.geojson?zoom=12").json()
    assert len(close["features"]) > len(world["features"])  # closer, fewer points gather


def test_the_map_gets_only_what_is_in_its_view_and_the_filters_still_apply(client, generated):
    query = "continent=afrique&zoom=5&view=-18,4,16,28"
    data = client.get(f"/api/atlas/projects.geojson?{query}").json()
    expected = atlas_search.find(QueryDict("continent=afrique&bbox=-18,4,16,28")).count
    assert data["count"] == expected > 0
    assert sum(feature["properties"].get("count", 1) for feature in data["features"]) == expected


@pytest.mark.parametrize(
    ("query", "field"), [("zoom=19", "zoom"), ("zoom=-1", "zoom"), ("zoom=3&view=1,2,3", "view"), ("zoom=a", "zoom")]
)
def test_a_bad_zoom_or_view_is_a_field_error(client, query, field):
    response = client.get(f"/api/atlas/projects.geojson?{query}")
    assert response.status_code == 422
    assert field in str(response.json()["detail"])


def test_a_change_builds_the_next_index_when_it_commits_not_at_the_next_search(
    generated, django_capture_on_commit_callbacks, django_assert_num_queries
):
    atlas_search.find(QueryDict(""))
    before = atlas_index.version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for item in Project.objects.order_by("pk")[:3]:
            item.title = f"Zzz {item.pk}"
            item.save()
    assert len(callbacks) <= 2  # one index build per transaction, not one per project (and the webhooks)
    assert atlas_index.version() != before
    atlas_index._current = None  # as another process
    with django_assert_num_queries(0):  # built already, by the task: loaded from the cache
        found = atlas_search.find(QueryDict("ordering=-title"))
    assert len(found.ids(0, 3)) == 3


@pytest.mark.parametrize("query", ["zoom=0", "zoom=9&view=170,-10,-170,10", "zoom=3&country=SN"])
def test_the_map_of_nothing_is_an_empty_collection(client, query):
    # An empty Atlas (no project yet), an empty view across the date line, a search with no result.
    response = client.get(f"/api/atlas/projects.geojson?{query}")
    assert response.status_code == 200
    assert response.json() == {"type": "FeatureCollection", "features": [], "count": 0, "zoom": int(query[5])}


def test_a_search_waits_for_the_process_that_builds_instead_of_building_again(generated, monkeypatch):
    import threading

    from django.core.cache import cache

    version = atlas_index.version()
    ready = atlas_index.build(version)
    key = atlas_index.INDEX_KEY + version
    cache.delete(key)
    atlas_index._current = None
    cache.add(key + ":building", 1, 60)  # another process has started building
    threading.Timer(0.3, lambda: atlas_index.store(key, ready)).start()
    monkeypatch.setattr(atlas_index, "build", lambda version: pytest.fail("built a second time"))
    assert atlas_search.find(QueryDict("")).count == ready.size


def test_a_failed_build_does_not_leave_the_others_waiting(generated, monkeypatch):
    import time

    from django.core.cache import cache

    version = atlas_index.version()
    cache.delete(atlas_index.INDEX_KEY + version)
    atlas_index._current = None
    real = atlas_index.build
    monkeypatch.setattr(atlas_index, "build", lambda version: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        atlas_search.find(QueryDict(""))
    monkeypatch.setattr(atlas_index, "build", real)
    started = time.monotonic()
    assert atlas_search.find(QueryDict("")).count == Project.objects.count()
    assert time.monotonic() - started < atlas_index.WAIT_SECONDS  # it did not wait for the failed one


def test_the_index_goes_through_the_cache_in_pieces_and_comes_back_the_same(generated, monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(atlas_index, "PIECE_BYTES", 4096)  # many pieces, the last one short
    version = atlas_index.version()
    built = atlas_index.build(version)
    key = atlas_index.INDEX_KEY + "pieces"
    atlas_index.store(key, built)
    assert cache.get(key + ":1") is not None
    loaded = atlas_index.load(key)
    for query in queries(generated):
        params = QueryDict(query)
        atlas_index._current = built
        expected = atlas_search.find(params)
        atlas_index._current = loaded
        found = atlas_search.find(params)
        assert (found.ids(), found.facets()) == (expected.ids(), expected.facets()), query


def test_an_index_with_a_piece_lost_from_the_cache_is_built_again(generated, monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(atlas_index, "PIECE_BYTES", 4096)
    version = atlas_index.version()
    key = atlas_index.INDEX_KEY + version
    atlas_index.store(key, atlas_index.build(version))
    cache.delete(key + ":2")  # evicted
    assert atlas_index.load(key) is None
    atlas_index._current = None
    found = atlas_search.find(QueryDict("continent=afrique")).ids()
    assert sorted(found) == sorted(atlas_search.search(QueryDict("continent=afrique")).values_list("pk", flat=True))
    assert atlas_index.load(key) is not None  # kept whole again for the other processes


def test_positions_keep_the_ids_it_has_in_any_order_and_leave_out_the_others(generated):
    index = atlas_index.current()
    first, last = int(index.pk[0]), int(index.pk[-1])
    mask = index.positions([last + 1000, first, 0, last, last + 1])
    assert index.ids(mask.nonzero()[0]) == [first, last]
