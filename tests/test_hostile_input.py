"""Random and hostile input to every URL, as every role: never a server error, and nobody
changes data through a page they may not open.

Hypothesis draws the persona, the ids in the URL (their own objects, other people's,
nonexistent and huge ones) and the form data (huge strings, control characters, wrong
types, other users' ids). URLs are read from the URL configuration, so a new view is
covered without touching this file.
"""

import string

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cases.conftest import make_case

PERSONAS = [
    None,
    "coordinator",
    "key_person",
    "key_person_health",
    "key_person_social",
    "key_person_other_team",
    "manager",
    "process_leader",
    "staff",
    "outsider",
]
SKIPPED_NAMESPACES = {"admin", "oidc"}
SKIPPED_NAMES = {"set_language", "logout"}
WATCHED_APPS = ["teams", "consent", "cases", "meetings", "sip", "reports"]


def _patterns(resolvers=None, namespace=""):
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from _patterns(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in SKIPPED_NAMES:
            yield f"{namespace}{entry.name}", list(entry.pattern.converters)


URLS = sorted(set((name, tuple(params)) for name, params in _patterns()))

hostile_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=20),
    st.just("x" * 100_000),
    st.just("<script>alert(1)</script>'; DROP TABLE cases_case; --"),
    st.just("../../etc/passwd\x00"),
    st.sampled_from(["-1", "0", "99999999999999999999", "1e308", "NaN", "true", "[]", "{}"]),
)
FIELD_NAMES = [
    "user",
    "team",
    "profession",
    "active_from",
    "active_to",
    "given_name",
    "family_name",
    "personal_number",
    "reserve_number",
    "birth_date",
    "sex",
    "school",
    "custody",
    "relation",
    "signed_guardians",
    "signed_on",
    "valid_until",
    "sectors",
    "family_language",
    "language",
    "concern_health",
    "concern_reasons",
    "family_description",
    "withdrawn_on",
    "told_by",
    "verdict",
    "note",
    "session_key",
    "token",
    "number",
    "document",
    "protected",
    "person",
    "date",
    "starts_at",
    "ends_at",
    "place",
    "case",
    "slot_minutes",
    "version",
    "action",
    "next",
    "page",
    "sample",
    "action",
    "status",
    "next_status",
    "attended",
]


def _watched_models():
    for label in WATCHED_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        yield from config.get_models()


def row_fingerprints(models) -> dict[str, tuple]:
    """(count, max pk, sum of pks) of each model's table, from one UNION ALL query instead of
    two per model (some 100 queries, run twice per example, were most of this test's time)."""
    models = list(models)
    quote = connection.ops.quote_name
    selects = []
    for model in models:
        pk, table = quote(model._meta.pk.column), quote(model._meta.db_table)
        # Names from the models' own metadata, quoted; the labels go in as parameters.
        selects.append(f"SELECT %s, count(*), max({pk}), sum({pk}) FROM {table}")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), [model._meta.label for model in models])
        return {label: (count, top, total) for label, count, top, total in cursor.fetchall()}


def _fingerprint():
    """Counts, id sums and the fields that carry access, for every domain model."""
    result = row_fingerprints(_watched_models())
    Case = apps.get_model("cases", "Case")
    result["case_state"] = sorted(Case.objects.values_list("pk", "status", "team_id"))
    KeyPerson = apps.get_model("teams", "KeyPerson")
    result["seats"] = sorted(KeyPerson.objects.values_list("pk", "active_to"))
    return result


@pytest.fixture
def hostile_world(world):
    own_case = make_case(world)
    return world, {"own": own_case.pk}


def _url(name, params, ids):
    kwargs = dict(zip(params, ids, strict=True))
    return reverse(name, kwargs=kwargs)


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize(("name", "params"), URLS, ids=[n for n, _ in URLS])
def test_no_server_error_and_no_change_without_permission(hostile_world, name, params):
    world, known = hostile_world
    id_choices = [known["own"], world.team_a.pk, world.team_b.pk, 1, 2, 999_999, 2**31 - 1]

    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        persona=st.sampled_from(PERSONAS),
        ids=st.tuples(*[st.sampled_from(id_choices) for _ in params]),
        data=st.dictionaries(st.sampled_from(FIELD_NAMES), hostile_text, max_size=6),
        query=st.dictionaries(st.sampled_from(FIELD_NAMES), hostile_text, max_size=3),
    )
    def run(persona, ids, data, query):
        client = Client(raise_request_exception=False)
        if persona:
            client.force_login(getattr(world, persona))
        url = _url(name, params, ids)
        get = client.get(url, query)
        assert get.status_code < 500, (persona, url, query)
        before = _fingerprint()
        post = client.post(url, data)
        assert post.status_code < 500, (persona, url, data)
        if get.status_code in (302, 403, 404) and post.status_code in (302, 403, 404, 405):
            if persona is None or get.status_code != 302:
                assert _fingerprint() == before, (persona, url, "changed data without access")

    run()


def test_every_url_is_covered():
    names = {name for name, _ in URLS}
    assert {"cases:detail", "cases:start", "teams:team_detail", "audit:list"} <= names
    assert all(set(name) <= set(string.ascii_letters + string.digits + ":_") for name in names)
