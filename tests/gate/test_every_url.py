"""Every URL × every persona: the permission table, no leak, and a log row for every name.

`TABLE` below is the permission table: one row per URL name and target, one column per
persona, the expected status of a GET. Every response — HTML, PDF, ICS, CSV, XLSX — is then
read for the four children of `conftest.py`:

- nothing that identifies a child outside the persona's reach (name, identity number, birth
  date) appears;
- the protected child's real name and birth date appear only for people named on the case;
- a response that shows a child's name wrote an access-log row for that child.

URL names come from the URL resolver, so a view added tomorrow without a row here fails
`test_every_url_name_is_walked_or_exempted`.
"""

import io
import re
from urllib.parse import quote, quote_plus

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from audit.models import AccessLogEntry

from .conftest import CHILDREN

PERSONAS = [
    "anonymous",
    "staff",  # Stina Personal: no seat; started the draft D
    "key_person",  # Kim Skola (school, team A): started A and P, named on P
    "coordinator",  # Cora Samordnare (school, team A coordinator)
    "key_person_health",  # Hanna Hälsa (health, team A): responsible in A's plan
    "key_person_social",  # Sam Social (social, team A): A's consent leaves social out
    "key_person_other_team",  # Olle Annatteam (school, team B): started O
    "manager",  # Maja Chef (manager of Solenskolan)
    "process_leader",
    "outsider",  # no organisation
    "admin",  # superuser: sees no child
    "registrar",  # the named log reviewer: register extracts
]

# Whose data each persona may see at all, and who is named on the protected case.
REACH = {
    "anonymous": set(),
    "staff": {"D"},
    "key_person": {"A", "P"},
    "coordinator": {"A", "P"},
    "key_person_health": {"A", "P"},
    "key_person_social": {"P"},
    "key_person_other_team": {"O"},
    "manager": set(),
    "process_leader": set(),
    "outsider": set(),
    "admin": set(),
    "registrar": {"A", "P", "O", "D"},  # register extracts are its task
}
NAMED_ON_P = {"key_person", "registrar"}

# URL names not walked, with the reason.
EXEMPT = {
    "logout": "POST only; ends the session the walk uses. No child data.",
    "set_language": "POST only (Django's view); changes the language. No child data.",
}
EXEMPT_NAMESPACES = {
    "admin": "Administrators see no child: no child's model is registered in the admin "
    "(test_no_child_model_in_the_admin) and the access log is not viewable there.",
    "oidc": "Single sign-on hand-off (only when OIDC is configured). No child data.",
}

# The permission table: the status each persona gets from a GET. 200 shown, 302 to the login
# page (anonymous) or onwards (e.g. an actualised case's "actualise" page), 403 may know the
# thing exists but not do this, 404 may not know it exists, 405 POST only.
# Targets (see `_kwargs`): A, P, O, D the four cases; "?x" adds the query `Q[x]`.
# fmt: off
TABLE = """
name                         target           anon stf kp  crd hlt soc oth mgr pl  out adm reg
login                        -                200 302 302 302 302 302 302 302 302 302 302 302
health                       -                200 200 200 200 200 200 200 200 200 200 200 200
teams:start                  -                302 200 200 200 200 200 200 200 200 200 200 200
teams:my_teams               -                302 200 200 200 200 200 200 200 200 200 200 200
teams:team_detail            team             302 200 200 200 200 200 200 200 200 404 200 404
teams:organisation_key_persons -                302 403 403 403 403 403 403 200 403 403 403 403
teams:key_person_end         seat             302 403 403 403 403 403 403 200 403 404 403 404
teams:my_sessions            -                302 200 200 200 200 200 200 200 200 200 200 200
teams:second_factor          -                302 200 200 200 200 200 200 200 200 200 200 200
workday:email_setting        -                302 200 200 200 200 200 200 200 200 200 200 200
cases:list                   -                302 200 200 200 200 200 200 200 200 200 200 200
cases:list                   -?search_o       302 200 200 200 200 200 200 200 200 200 200 200
cases:list                   -?search_p       302 200 200 200 200 200 200 200 200 200 200 200
cases:start                  -                302 200 200 200 200 200 200 200 403 403 403 403
cases:register_extract       -                302 403 403 403 403 403 403 403 403 403 403 200
cases:register_extract       -?extract        302 403 403 403 403 403 403 403 403 403 403 200
cases:register_extract       -?extract_p      302 403 403 403 403 403 403 403 403 403 403 200
cases:register_extract       -?access_extract 302 403 403 403 403 403 403 403 403 403 403 200
cases:team                   teamA            302 404 200 200 200 200 404 404 404 404 404 404
cases:team                   teamB            302 404 404 404 404 404 200 404 404 404 404 404
cases:detail                 A                302 404 200 200 200 404 404 404 404 404 404 404
cases:detail                 P                302 404 200 200 200 200 404 404 404 404 404 404
cases:detail                 O                302 404 404 404 404 404 200 404 404 404 404 404
cases:detail                 D                302 200 404 404 404 404 404 404 404 404 404 404
cases:history                A                302 404 200 200 200 404 404 404 404 404 404 404
cases:history                P                302 404 200 200 200 200 404 404 404 404 404 404
cases:history                O                302 404 404 404 404 404 200 404 404 404 404 404
cases:guardians              A                302 404 200 200 200 404 404 404 404 404 404 404
cases:guardians              P                302 404 200 200 200 200 404 404 404 404 404 404
cases:guardians              D                302 200 404 404 404 404 404 404 404 404 404 404
cases:consent_print          A?consent_print  302 404 200 200 200 404 404 404 404 404 404 404
cases:consent_print          P?consent_print  302 404 200 200 200 200 404 404 404 404 404 404
cases:consent_print          O?consent_print  302 404 404 404 404 404 200 404 404 404 404 404
cases:consent_print          D?consent_print  302 200 404 404 404 404 404 404 404 404 404 404
cases:consent_register       D                302 200 404 404 404 404 404 404 404 404 404 404
cases:consent_register       A                302 404 200 200 200 404 404 404 404 404 404 404
cases:consent_withdraw       A                302 404 200 200 200 404 404 404 404 404 404 404
cases:consent_withdraw       P                302 404 200 200 200 200 404 404 404 404 404 404
cases:consent_scan           scanA            302 404 404 404 404 404 404 404 404 404 404 404
cases:actualise              D                302 302 404 404 404 404 404 404 404 404 404 404
cases:actualise              A                302 404 302 302 302 404 404 404 404 404 404 404
cases:protected_identity     P                302 405 405 405 405 405 405 405 405 405 405 405
audit:list                   -                302 403 403 403 403 403 403 200 403 403 403 200
audit:list                   -?log_a          302 403 403 403 403 403 403 200 403 403 403 200
audit:export                 -                302 403 403 403 403 403 403 200 403 403 403 200
audit:entry                  entry            302 403 403 403 403 403 403 200 403 403 403 200
reports:term                 -                302 403 403 200 403 403 403 403 200 403 403 403
reports:export               csv              302 403 403 200 403 403 403 403 200 403 403 403
reports:export               xlsx             302 403 403 200 403 403 403 403 200 403 403 403
reports:term_report          -                302 403 403 200 403 403 403 403 403 403 403 403
reports:term_reports         -                302 403 403 403 403 403 403 403 200 403 403 403
reports:term_report_detail   report           302 404 404 404 404 404 404 404 404 404 404 404
meetings:index               -                302 200 200 200 200 200 200 200 200 200 200 200
meetings:calendar            -                302 200 200 200 200 200 200 200 200 200 200 200
meetings:calendar_reset      -                302 405 405 405 405 405 405 405 405 405 405 405
meetings:feed                feed             200 200 200 200 200 200 200 200 200 200 200 200
meetings:team                teamA            302 404 200 200 200 200 404 404 404 404 404 404
meetings:team                teamB            302 404 404 404 404 404 200 404 404 404 404 404
meetings:generate            teamA            302 404 403 200 403 403 404 404 404 404 404 404
meetings:add                 teamA            302 404 403 200 403 403 404 404 404 404 404 404
meetings:detail              meeting          302 404 200 200 200 200 404 404 404 404 404 404
meetings:move                meeting          302 404 403 200 403 403 404 404 404 404 404 404
meetings:cancel              meeting          302 404 403 200 403 403 404 404 404 404 404 404
meetings:slot                meeting          302 405 405 405 405 405 405 405 405 405 405 405
meetings:agenda_add          meeting          302 405 405 405 405 405 405 405 405 405 405 405
meetings:agenda_remove       itemA            302 405 405 405 405 405 405 405 405 405 405 405
meetings:agenda_move         itemA            302 405 405 405 405 405 405 405 405 405 405 405
meetings:publish             meeting          302 405 405 405 405 405 405 405 405 405 405 405
meetings:agenda_pdf          meeting          302 404 200 200 200 200 404 404 404 404 404 404
meetings:minutes             meeting          302 404 200 200 200 200 404 404 404 404 404 404
meetings:attendance          meeting          302 405 405 405 405 405 405 405 405 405 405 405
meetings:item_minutes        itemA            302 404 403 200 403 403 404 404 404 404 404 404
meetings:close               meeting          302 404 403 200 403 403 404 404 404 404 404 404
meetings:minutes_pdf         meeting          302 404 200 200 200 200 404 404 404 404 404 404
meetings:invitation          meeting          302 404 200 200 200 200 404 404 404 404 404 404
sip:case                     A                302 404 200 200 200 404 404 404 404 404 404 404
sip:case                     P                302 404 200 200 200 200 404 404 404 404 404 404
sip:case                     O                302 404 404 404 404 404 200 404 404 404 404 404
sip:feedback                 A                302 404 200 200 200 404 404 404 404 404 404 404
sip:meeting_new              A                302 404 200 200 200 404 404 404 404 404 404 404
sip:meeting_new              P                302 404 200 200 200 200 404 404 404 404 404 404
sip:plan_new                 A                302 405 405 405 405 405 405 405 405 405 405 405
sip:plan                     planA            302 404 200 200 200 404 404 404 404 404 404 404
sip:plan_edit                planA            302 405 405 405 405 405 405 405 405 405 405 405
sip:finalise                 planA            302 404 302 302 302 404 404 404 404 404 404 404
sip:revise                   planA            302 405 405 405 405 405 405 405 405 405 405 405
sip:print                    planA            302 405 405 405 405 405 405 405 405 405 405 405
sip:document                 job              302 404 404 404 404 404 404 404 404 404 404 404
sip:document_download        job              302 404 404 404 404 404 404 404 404 404 404 404
sip:signatures               planA            302 404 200 200 200 404 404 404 404 404 404 404
sip:signature_scan           sig              302 404 404 404 404 404 404 404 404 404 404 404
sip:follow_up                planA            302 404 200 200 200 404 404 404 404 404 404 404
"""
# fmt: on

Q = {
    "consent_print": {"language": "sv", "sectors": ["school", "health", "social"]},
    "extract": {"number": "20140517-2386", "document": "register"},
    "extract_p": {"number": "PROT-0042", "document": "register"},
    "access_extract": {"number": "OUT-0077", "document": "access"},
    "search_o": {"q": "Utanförsson"},
    "search_p": {"q": "Petra"},
    "log_a": {"personal_number": "20140517-2386"},
}


def _kwargs(world, name: str, target: str) -> tuple[dict, dict]:
    """URL kwargs and query for a row."""
    case_key, _sep, query_key = target.partition("?")
    query = Q.get(query_key, {})
    cases = world.cases
    by_target = {
        "-": {},
        "A": {"pk": cases["A"].pk},
        "P": {"pk": cases["P"].pk},
        "O": {"pk": cases["O"].pk},
        "D": {"pk": cases["D"].pk},
        "teamA": {"team_pk": world.team_a.pk},
        "teamB": {"team_pk": world.team_b.pk},
        "team": {"pk": world.team_a.pk},
        "meeting": {"pk": world.meeting.pk},
        "itemA": {"pk": world.meeting.pk, "item_pk": world.item_a.pk},
        "planA": {"pk": world.plan_a.pk},
        "job": {"pk": world.plan_a.pk, "job_pk": 999_999},
        "sig": {"pk": world.plan_a.pk, "signature_pk": 999_999},
        "scanA": {"pk": cases["A"].pk, "consent_pk": world.consent_a.pk},
        "entry": {"pk": world.entry.pk},
        "seat": {"pk": world.seat.pk},
        "feed": {"token": world.feed.token},
        "csv": {"fmt": "csv"},
        "xlsx": {"fmt": "xlsx"},
        "report": {"pk": 999_999},
    }
    return by_target[case_key], query


def _rows():
    rows = []
    for line in TABLE.strip().splitlines()[1:]:
        name, target, *codes = line.split()
        rows.append((name, target, dict(zip(PERSONAS, [int(c) for c in codes], strict=True))))
    return rows


ROWS = _rows()


def _all_url_names(resolvers=None, namespace=""):
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in EXEMPT_NAMESPACES:
                continue
            yield from _all_url_names(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def _body_text(response) -> str:
    content = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    kind = response.get("Content-Type", "")
    if content.startswith(b"%PDF"):
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            " ".join(str(v) for v in row if v is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return content.decode("utf-8", errors="replace")


def _leaks(persona: str, name: str, text: str, query: dict | None = None) -> list[str]:
    """What the response shows that this persona may not see. What the persona typed
    (the query, echoed in a search box or a language switch's return address) is not a
    disclosure and is left out."""
    flat = " ".join(text.split())
    for value in (query or {}).values():
        for typed in value if isinstance(value, list) else [value]:
            flat = (
                flat.replace(typed, " ").replace(quote_plus(typed), " ").replace(quote(typed), " ")
            )
    problems = []
    for key, child in CHILDREN.items():
        secrets = child.secrets()
        if name.startswith("audit:"):
            # Log review (loggkontroll) shows which child a row is about by its identity
            # number, never by name or birth date.
            secrets = [child.given, child.family, *child.birth]
        if key not in REACH[persona]:
            problems += [f"{child.key}: {s}" for s in secrets if _shows(flat, s)]
        elif key == "P" and persona not in NAMED_ON_P:
            hidden = [child.given, child.family, *child.birth]
            problems += [f"P (protected): {s}" for s in hidden if _shows(flat, s)]
    return problems


def _shows(text: str, secret: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(secret)}(?![\w-])", text) is not None


def _client(world, persona: str) -> Client:
    client = Client(raise_request_exception=True)
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_answers_as_the_table_says_and_leaks_nothing(gate_world, persona):
    world = gate_world
    client = _client(world, persona)
    user = getattr(world, persona, None)
    failures = []
    for name, target, expected in ROWS:
        kwargs, query = _kwargs(world, name, target)
        url = reverse(name, kwargs=kwargs)
        before = AccessLogEntry.objects.count()
        response = client.get(url, query)
        if response.status_code != expected[persona]:
            failures.append(
                f"{name} {target}: {response.status_code}, table says {expected[persona]}"
            )
        text = _body_text(response)
        failures += [f"{name} {target} leaks {leak}" for leak in _leaks(persona, name, text, query)]
        if user is not None and response.status_code == 200:
            flat = " ".join(text.split())
            new = AccessLogEntry.objects.filter(user=user).order_by("-pk")[
                : AccessLogEntry.objects.count() - before
            ]
            logged = {e.child_id for e in new}
            for key in REACH[persona]:
                child = CHILDREN[key]
                if _shows(flat, child.name) and world.cases[key].child_id not in logged:
                    failures.append(f"{name} {target} shows {child.name} without a log row")
    assert not failures, "\n".join(failures)


def test_every_url_name_is_walked_or_exempted():
    walked = {name for name, _target, _codes in ROWS}
    names = set(_all_url_names())
    missing = sorted(names - walked - set(EXEMPT))
    assert not missing, f"Add a row to TABLE (or an exemption with its reason): {missing}"
    assert not (walked - names), f"Rows for URL names that no longer exist: {walked - names}"


def test_no_child_model_in_the_admin():
    from django.contrib import admin

    child_apps = {"cases", "consent", "sip"}
    registered = {m._meta.label for m in admin.site._registry}
    assert not {label for label in registered if label.split(".")[0] in child_apps}
    assert "meetings.AgendaItem" not in registered


def test_the_leak_reader_finds_what_it_looks_for():
    """The walk can only pass honestly if this reader sees a leak when there is one."""
    assert _leaks("manager", "cases:detail", "<td>Alva Ek</td>")
    assert _leaks("coordinator", "cases:detail", "Petra, 2012-03-03")
    assert not _leaks("key_person", "cases:detail", "Petra Hemligsson, 2012-03-03")
    assert _leaks("manager", "audit:list", "<td>Oskar</td>")
    assert not _leaks("manager", "audit:list", "<td>OUT-0077</td>")
    assert not _leaks("staff", "cases:list", 'value="Oskar"', {"q": "Oskar"})
