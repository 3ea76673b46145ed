"""Swedish all through (issue 16 item 7): the catalogue is complete, and a Swedish page shows
no message of the catalogue (or Django's) left in English, no HTML in the tab title, no
capitalised month abbreviation and one current menu entry."""

import html
import re
from pathlib import Path

import pytest
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.urls import reverse
from django.utils import translation

from audit.models import AccessLogEntry
from tests import factories as f
from tests.meetings.conftest import make_meeting
from tests.sip.conftest import discussed_case, make_plan

PO = Path(__file__).resolve().parent.parent / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def _entries():
    """(msgctxt, msgid, [msgstr…], flags) of every entry of the Swedish catalogue."""
    entries, current, key = [], {}, None
    for line in PO.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if "msgid" in current:
                entries.append(current)
            current, key = {}, None
        elif line.startswith("#,"):
            current["flags"] = line[2:]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += _unquote(line)
        else:
            key, _sep, value = line.partition(" ")
            current[key] = _unquote(value)
    return entries


def _unquote(text: str) -> str:
    return text.strip()[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")


def test_the_catalogue_has_no_empty_or_fuzzy_entry():
    entries = [e for e in _entries() if e["msgid"]]  # the header has an empty msgid
    empty = [e["msgid"] for e in entries if not any(v for k, v in e.items() if "msgstr" in k)]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", "")]
    assert not empty, f"untranslated: {empty[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


def _english_messages() -> list[str]:
    """The catalogue's English messages that differ from their Swedish (long enough not to be
    a word both languages share), with any placeholder cut off at its first one."""
    found = set()
    for entry in _entries():
        msgid, msgstr = entry["msgid"], entry.get("msgstr", "")
        if not msgid or msgid == msgstr or "{{" in msgid:
            continue
        head = re.split(r"%\(\w+\)[sd]|%[sd]|<", msgid)[0].strip()
        if len(head) >= 14 and " " in head:
            found.add(head)
    with translation.override("en"):
        found.add(str(BLANK_CHOICE_LABEL))  # Django's "- Select an option -"
    return sorted(found)


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    # Options, labels and buttons are text; attributes people hear are too.
    attributes = " ".join(re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', page))
    text = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(text + " " + attributes).split())


@pytest.fixture
def pages(world, client):
    """(user, url) of pages of every role, with a case, a meeting and a draft plan."""
    case = discussed_case(world)
    plan = make_plan(world, case, finalise=False)
    meeting = make_meeting(world)
    admin = f.UserFactory(
        organisation=None, full_name="Ada Admin", is_staff=True, is_superuser=True
    )
    world.manager.user_permissions.add(*[])
    return [
        (world.coordinator, reverse("teams:start")),
        (world.coordinator, reverse("teams:my_teams")),
        (world.coordinator, reverse("teams:team_detail", args=[world.team_a.pk])),
        (world.coordinator, reverse("cases:list")),
        (world.coordinator, reverse("cases:start")),
        (world.coordinator, reverse("cases:detail", args=[case.pk])),
        (world.coordinator, reverse("meetings:index")),
        (world.coordinator, reverse("meetings:team", args=[world.team_a.pk])),
        (world.coordinator, reverse("meetings:detail", args=[meeting.pk])),
        (world.coordinator, reverse("meetings:add", args=[world.team_a.pk])),
        (world.key_person_health, reverse("sip:case", args=[case.pk])),
        (world.key_person_health, reverse("sip:plan", args=[plan.pk])),
        (world.key_person_health, reverse("sip:meeting_new", args=[case.pk])),
        (world.key_person_health, reverse("sip:finalise", args=[plan.pk])),
        (world.manager, reverse("teams:start")),
        (world.manager, reverse("teams:organisation_key_persons")),
        (world.manager, reverse("audit:list")),
        (world.process_leader, reverse("reports:term")),
        (world.staff, reverse("teams:start")),
        (world.staff, reverse("teams:my_sessions")),
        (admin, reverse("admin:index")),
    ]


def test_swedish_pages_show_no_catalogue_message_in_english(client, pages):
    english = _english_messages()
    problems = []
    for user, url in pages:
        client.force_login(user)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="sv")
        assert response.status_code == 200, (url, response.status_code)
        page = response.content.decode()
        text = _visible_text(page)
        problems += [(url, message) for message in english if message in text]
        title = re.search(r"<title>(.*?)</title>", page, flags=re.S).group(1)
        if "<" in html.unescape(title) or "&lt;" in title:
            problems.append((url, f"HTML in the title: {title}"))
        # Swedish month abbreviations are written in small letters: "tis 13 okt".
        capitalised = re.findall(
            r"\b(?:mån|tis|ons|tor|fre|lör|sön) \d{1,2} "
            r"(?:Jan|Feb|Mar|Apr|Maj|Jun|Jul|Aug|Sep|Okt|Nov|Dec)\b",
            text,
        )
        problems += [(url, f"capitalised month: {c}") for c in capitalised]
        current = re.findall(r'<a [^>]*aria-current="page"', page.split("</nav>")[0])
        if len(current) > 1:
            problems.append((url, f"{len(current)} menu entries marked current"))
    assert not problems, "\n".join(f"{url}: {what}" for url, what in problems)


def test_the_access_log_calls_minutes_protokoll():
    with translation.override("sv"):
        assert "Protokoll" in str(AccessLogEntry.Kind.MINUTES.label)
        assert "Minnesanteckningar" not in str(AccessLogEntry.Kind.MINUTES.label)


def test_the_admin_names_every_app_and_model_in_swedish(client, world):
    admin = f.UserFactory(
        organisation=None, full_name="Ada Admin", is_staff=True, is_superuser=True
    )
    client.force_login(admin)
    text = _visible_text(
        client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    )
    for english in (
        "Axes",
        "Access attempts",
        "Access failures",
        "TOTP devices",
        "Task Results",
        "Tasks Database Backend",
        "Otp_Totp",
        "access attempts",
        "TOTP device",
    ):
        assert english not in text, english
