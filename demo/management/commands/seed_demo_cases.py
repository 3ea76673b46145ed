"""Demo children and cases on top of `seed_demo`: the whole HLT path, clearly fictional.

Every row is made by the real services (cases, meetings, sip), so it passed the same checks
as real input. The history (held meetings, SIP meetings, follow-ups, the previous term) is
made by running each step *as of its own day*: the clock is set back while the service runs,
so its rules ("not in the future", "from the meeting's day on", "a consent in force") are
checked against that day and its rows are stamped with it, as if a coordinator had worked
through the terms. Nothing is written by hand; the one addition to seed_demo's structure is
the demo coordinators' appointment for the previous term (through the teams service).

Clearly fictional: names are marked "(demo)", the children have reserve numbers (DEMO-001 …)
and never a personal identity number, and the guardians' phone numbers come from the series
PTS keeps for fiction. Safe to run any number of times: when the demo children exist,
nothing is created.
"""

import datetime
import itertools
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from unittest import mock

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation
from simple_history.models import HistoricalRecords

from cases import services as case_services
from cases.models import Case, Child
from cases.workflow import Status
from consent.models import consent_longest_end
from demo.management.commands.seed_demo import email
from meetings import selectors as meeting_selectors
from meetings import services as meeting_services
from meetings.models import AgendaItem, Meeting
from meetings.schedule import holiday_name
from sip import services as sip_services
from sip.models import ContactMethod, FollowUp, GoalEvaluation, InterventionEvaluation
from sip.questionnaire import QUESTION_CODES
from teams import services as team_services
from teams.models import CoordinatorAppointment, KeyPerson, Organisation, Team, Term, User

DAY = datetime.timedelta(days=1)
ALL_SECTORS = ("health", "school", "social")

# How far along the path a demo case has come.
STARTED = "started"  # consent form printed, not signed yet
WAITING = "waiting"  # actualised, on the waiting list
AGENDA = "agenda"  # actualised, on the agenda of the team's next meeting
BACK = "back"  # discussed, sent back to the waiting list
CLOSED_AT_MEETING = "closed_at_meeting"  # discussed and closed by the HLT meeting
DISCUSSED = "discussed"  # discussed; a key person meets the family
SIP = "sip"  # SIP meeting held
PLAN = "plan"  # plan finalised and signed
FOLLOWED = "followed"  # plan followed up, continues
CLOSED = "closed"  # plan followed up, case closed

# Team key → (team name in seed_demo, its key persons by sector, as e-mail local parts).
TEAMS = {
    "centrum": (
        "HLT Härnösand centrum",
        {"school": "samordnare", "health": "halsa", "social": "social"},
    ),
    "norr": ("HLT Härnösand norr", {"health": "bvc"}),
    "kramfors": ("HLT Kramfors", {"school": "kramfors", "health": "kramfors.halsa"}),
}
COORDINATORS = {"centrum": "samordnare", "norr": "bvc", "kramfors": "kramfors"}
STAFF = ["samordnare", "halsa", "social", "bvc", "kramfors", "kramfors.halsa", "personal"]
SCHOOLS = {"centrum": "Solenskolan", "kramfors": "Gudmundråskolan"}
PRESCHOOLS = {"centrum": "Förskolan Tallbacken"}


@dataclass(frozen=True)
class DemoChild:
    number: int  # the reserve number DEMO-<number>: the marker that makes the command idempotent
    given: str
    family: str
    sex: str
    age: int
    team: str
    initiator: str
    reasons: tuple[str, ...]
    stage: str
    meeting: int = -1  # the past HLT meeting, counted back from the latest (-1)
    days_ago: int = 10  # not yet discussed: actualised this many days ago
    sectors: tuple[str, ...] = ALL_SECTORS
    language: str = "sv"
    interpreter: str = ""
    guardians: tuple[tuple[str, str, str, bool], ...] = ()  # (given, relation, custody, protected)
    home_languages: str = "svenska"
    protected: bool = False
    feedback_after: int | None = 3  # days after the HLT meeting; None: not yet
    sip_in_minutes: bool = True  # the HLT meeting decides the SIP (else the SIP meeting does)
    follow_ups: int = 1
    closing_reason: str = ""
    description: str = ""
    voice: str = ""

    @property
    def reserve_number(self) -> str:
        return f"DEMO-{self.number:03d}"


# The five cases of the README, all in HLT Härnösand centrum. The tables read better one
# child a line.
# fmt: off
SHOWCASE = [
    DemoChild(1, "Nora", "Lindberg", "girl", 7, "centrum", "personal", ("learning_achievement", "health_mental"), STARTED, days_ago=2,  # noqa: E501
              description="Nora har svårt att komma igång med läsningen och är ledsen efter skolan.",  # noqa: E501
              voice="Jag tycker det är svårt att läsa."),
    DemoChild(2, "Ali", "Rahimi", "boy", 10, "centrum", "personal", ("learning_language", "learning_achievement"), AGENDA, days_ago=9,  # noqa: E501
              sectors=("health", "school"), language="fa", home_languages="dari, svenska",
              guardians=(("Maryam", "mother", "joint", False), ("Reza", "father", "joint", False)),
              description="Familjen kom till Härnösand för två år sedan. Ali förstår mycket men "
              "har svårt att skriva och tappar lusten på lektionerna. Föräldrarna vill veta hur de "
              "kan hjälpa honom med läxorna.",
              voice="Jag vill kunna skriva lika bra som jag pratar."),
    DemoChild(3, "Hodan", "Warsame", "girl", 9, "centrum", "halsa", ("health_mental", "learning_absence"), PLAN, -2,  # noqa: E501
              language="so", interpreter="so", home_languages="somaliska, svenska",
              guardians=(("Amina", "mother", "joint", False), ("Abdi", "father", "joint", False)),
              description="Hodan har ont i magen på morgnarna och har varit hemma många dagar. "
              "Föräldrarna vill att hon ska må bra och ha kompisar, och behöver hjälp att förstå "
              "hur skolan och vården kan stödja henne.",
              voice="Jag vill gå till skolan men jag blir orolig. Jag vill ha någon att prata med."),  # noqa: E501
    DemoChild(4, "Viggo", "Strömberg", "boy", 12, "centrum", "social", ("safety_family", "learning_absence"), CLOSED, -7,  # noqa: E501
              guardians=(("Linda", "mother", "sole", False),), sip_in_minutes=False, follow_ups=2,
              closing_reason="goals_met",
              description="Mamma berättar att det har varit oroligt hemma sedan separationen och "
              "att Viggo ofta stannar hemma från skolan för att hålla henne sällskap.",
              voice="Jag vill att mamma ska må bra. Skolan är okej när jag väl är där."),
    DemoChild(5, "Elsa", "Nyström", "girl", 8, "centrum", "samordnare", ("safety_family", "health_mental"), AGENDA, days_ago=14,  # noqa: E501
              guardians=(("Karolina", "mother", "sole", True),), protected=True,
              description="Elsa och mamma har nyligen flyttat hit och har skyddade "
              "personuppgifter. Elsa är tyst och vaksam och har svårt att sova.",
              voice="Jag vill inte att någon ska veta var vi bor."),
]

# Cheaper cases across the teams and the two terms, for the term statistics.
OTHERS = [
    DemoChild(6, "Liam", "Sandberg", "boy", 8, "centrum", "samordnare", ("learning_achievement",), DISCUSSED, -1, feedback_after=2),  # noqa: E501
    DemoChild(7, "Ella", "Forsberg", "girl", 11, "centrum", "halsa", ("health_mental",), DISCUSSED, -1, feedback_after=None),  # noqa: E501
    DemoChild(8, "Noah", "Åberg", "boy", 14, "centrum", "social", ("safety_family",), SIP, -3, feedback_after=4, sip_in_minutes=False),  # noqa: E501
    DemoChild(9, "Saga", "Holmgren", "girl", 5, "centrum", "bvc", ("health_development", "learning_language"), PLAN, -3, feedback_after=1),  # noqa: E501
    DemoChild(10, "Hugo", "Viklund", "boy", 9, "centrum", "personal", ("learning_absence",), CLOSED_AT_MEETING, -4, closing_reason="referred"),  # noqa: E501
    DemoChild(11, "Maja", "Öhman", "girl", 13, "centrum", "social", ("safety_relations", "health_mental"), FOLLOWED, -4, feedback_after=9),  # noqa: E501
    DemoChild(12, "Elias", "Nordström", "boy", 7, "centrum", "samordnare", ("learning_achievement", "health_development"), CLOSED, -5, closing_reason="goals_met"),  # noqa: E501
    DemoChild(13, "Alice", "Hedlund", "girl", 10, "centrum", "halsa", ("health_physical",), BACK, -5, sectors=("health", "school")),  # noqa: E501
    DemoChild(14, "Oscar", "Lundqvist", "boy", 15, "centrum", "social", ("safety_environment",), CLOSED_AT_MEETING, -6, closing_reason="family_declined"),  # noqa: E501
    DemoChild(15, "Wilma", "Sjödin", "girl", 6, "centrum", "personal", ("learning_language",), PLAN, -6, feedback_after=5, language="ar", home_languages="arabiska, svenska"),  # noqa: E501
    DemoChild(16, "William", "Engström", "boy", 12, "centrum", "samordnare", ("learning_absence", "safety_relations"), CLOSED, -8, closing_reason="moved"),  # noqa: E501
    DemoChild(17, "Ebba", "Marklund", "other", 16, "centrum", "halsa", ("health_mental",), FOLLOWED, -8, sip_in_minutes=False),  # noqa: E501
    DemoChild(18, "Lucas", "Byström", "boy", 4, "centrum", "bvc", ("health_development",), PLAN, -9, sectors=("health", "school")),  # noqa: E501
    DemoChild(19, "Freja", "Strand", "girl", 8, "centrum", "samordnare", ("learning_achievement",), WAITING, days_ago=6),  # noqa: E501
    DemoChild(20, "Adam", "Nilsson", "boy", 11, "centrum", "social", ("safety_family", "learning_absence"), AGENDA, days_ago=12),  # noqa: E501
    DemoChild(21, "Alma", "Berglöf", "girl", 2, "norr", "bvc", ("health_development",), DISCUSSED, -1, sectors=("health", "social")),  # noqa: E501
    DemoChild(22, "Theo", "Wiklund", "boy", 4, "norr", "bvc", ("learning_language",), SIP, -2),
    DemoChild(23, "Stella", "Hägglund", "girl", 3, "norr", "bvc", ("health_physical", "safety_environment"), PLAN, -4),  # noqa: E501
    DemoChild(24, "Vincent", "Jonsson", "boy", 2, "norr", "bvc", ("health_development",), CLOSED_AT_MEETING, -6, closing_reason="moved"),  # noqa: E501
    DemoChild(25, "Molly", "Eklund", "girl", 5, "norr", "bvc", ("safety_family",), CLOSED, -7, closing_reason="goals_met"),  # noqa: E501
    DemoChild(26, "Leo", "Dahlberg", "boy", 3, "norr", "bvc", ("health_mental",), AGENDA, days_ago=8),  # noqa: E501
    DemoChild(27, "Nils", "Olofsson", "boy", 10, "kramfors", "kramfors", ("learning_achievement",), DISCUSSED, -1, sectors=("health", "school")),  # noqa: E501
    DemoChild(28, "Agnes", "Westberg", "girl", 12, "kramfors", "kramfors.halsa", ("health_mental", "safety_relations"), SIP, -2),  # noqa: E501
    DemoChild(29, "Isak", "Höglund", "boy", 14, "kramfors", "kramfors", ("learning_absence",), PLAN, -3, sectors=("health", "school")),  # noqa: E501
    DemoChild(30, "Tyra", "Sundberg", "girl", 9, "kramfors", "kramfors.halsa", ("health_physical",), CLOSED_AT_MEETING, -4, closing_reason="referred"),  # noqa: E501
    DemoChild(31, "Melvin", "Näslund", "boy", 7, "kramfors", "kramfors", ("learning_language",), FOLLOWED, -5, language="ar", home_languages="arabiska"),  # noqa: E501
    DemoChild(32, "Selma", "Persson", "girl", 11, "kramfors", "kramfors.halsa", ("health_mental",), CLOSED, -7, closing_reason="goals_met"),  # noqa: E501
    DemoChild(33, "Ville", "Backlund", "boy", 13, "kramfors", "kramfors", ("safety_relations",), DISCUSSED, -6, feedback_after=10),  # noqa: E501
    DemoChild(34, "Ines", "Lidström", "girl", 6, "kramfors", "kramfors.halsa", ("health_physical", "learning_achievement"), AGENDA, days_ago=7, sectors=("health", "school")),  # noqa: E501
]
# fmt: on
DEMO_CHILDREN = SHOWCASE + OTHERS
RESERVE_NUMBERS = [c.reserve_number for c in DEMO_CHILDREN]

GUARDIAN_NAMES = [
    ("Sofia", "Daniel"),
    ("Emma", "Andreas"),
    ("Linnea", "Fredrik"),
    ("Jessica", "Marcus"),
    ("Hanna", "Tobias"),
    ("Camilla", "Patrik"),
    ("Elin", "Niklas"),
    ("Malin", "Jonas"),
]
# What the family tells, per concern reason; the child's own words per area.
SAYS = {
    "health_mental": "{given} är ofta orolig och har svårt att somna.",
    "health_physical": "{given} äter dåligt och är trött på dagarna.",
    "health_development": "Föräldrarna undrar hur {given} utvecklas och vill ha stöd.",
    "learning_absence": "{given} har varit borta mycket den senaste tiden.",
    "learning_achievement": "{given} kämpar med läsning och matematik och tappar lusten.",
    "learning_language": "{given} pratar lite och har svårt att göra sig förstådd.",
    "safety_family": "Familjen har det tufft hemma just nu.",
    "safety_relations": "{given} hamnar utanför i gruppen och vill inte gå ut på rasterna.",
    "safety_environment": "Familjen bor trångt och har svårt att få ekonomin att gå ihop.",
}
VOICES = {
    "health": "Jag vill kunna sova och inte vara orolig hela tiden.",
    "learning": "Jag vill förstå mer på lektionerna.",
    "safety": "Jag vill att det ska vara lugnt hemma och att jag har någon att vara med.",
}
GOALS = {
    "health": "{given} sover bättre och orkar med dagen.",
    "learning": "{given} är på plats varje dag och får det stöd som behövs för att lära sig.",
    "safety": "Familjen har en lugnare vardag och vet vart de kan vända sig.",
}
INTERVENTIONS = {
    "school": ("school_adaptations", "Anpassningar i undervisningen och stöd av specialpedagog"),
    "health": ("treatment", "Stödsamtal hos kurator på hälsocentralen"),
    "social": ("family_talks", "Familjesamtal hos familjebehandlare"),
}
AREA_SECTOR = {"health": "health", "learning": "school", "safety": "social"}
# Hodan's and Viggo's plans, written out: (kind, what, sector).
PLANS = {
    3: {
        "needs": (
            "Hodan har ont i magen på morgnarna och vill inte gå till skolan. Föräldrarna vill "
            "att hon ska känna sig trygg i skolan och att de själva ska veta hur de kan hjälpa "
            "henne när oron kommer."
        ),
        "child_view": (
            "Jag vill gå till skolan men jag blir orolig. Jag vill ha någon att prata med."
        ),
        "measures_by_others": "Inga. Lillebror har kontakt med BVC.",
        "follow_up_how": "Uppföljande SIP-möte på Öbacka hälsocentral, med tolk på somaliska.",
        "goals": [
            "Hodan är i skolan minst fyra dagar i veckan.",
            "Hodan och föräldrarna vet vem de kan prata med när oron kommer.",
        ],
        "interventions": [
            (
                "school_adaptations",
                "Lugn start på dagen: specialpedagogen möter Hodan vid skolstart och hon har "
                "en trygg plats att gå till.",
                "school",
            ),
            ("treatment", "Stödsamtal om oro och magont varannan vecka.", "health"),
            (
                "parent_support",
                "Föräldrasamtal med tolk om hur familjen kan stötta Hodan på morgnarna.",
                "health",
            ),
        ],
    },
    4: {
        "needs": (
            "Mamma vill att Viggo ska gå till skolan och slippa ta ansvar för hur hon mår. "
            "Hon vill ha stöd i att hitta rutiner hemma."
        ),
        "child_view": "Jag vill att mamma ska må bra. Skolan är okej när jag väl är där.",
        "measures_by_others": "Mamma har egen kontakt med vuxenpsykiatrin.",
        "follow_up_how": "Uppföljande SIP-möte hos Barn- och familjeenheten.",
        "goals": [
            "Viggo går till skolan varje dag.",
            "Mamma och Viggo har en lugnare vardag hemma.",
        ],
        "interventions": [
            ("parent_support", "Föräldrastöd för mamma, en gång i veckan.", "social"),
            ("family_talks", "Familjesamtal för Viggo och mamma.", "social"),
            ("school_adaptations", "Mentor som följer upp Viggos närvaro varje dag.", "school"),
        ],
    },
}
NOTES = {
    Status.SIP_PLANNED: (
        "Teamet föreslår en SIP. {contact} ringer familjen och bokar planeringsmöte och SIP-möte."
    ),
    Status.IN_MEETING: (
        "{sectors} träffar familjen tillsammans. {contact} återkopplar till familjen inom en vecka."
    ),
    Status.ACTUALISED: "Mer underlag behövs från skolan. Ärendet tas upp igen på ett senare möte.",
    Status.CLOSED: {
        "referred": "Ärendet lämnas vidare till barn- och ungdomspsykiatrin (BUP).",
        "family_declined": "Familjen tackar nej till fortsatt samverkan.",
        "moved": "Familjen har flyttat från kommunen.",
    },
}
SECTOR_WORDS = {"health": "hälso- och sjukvården", "school": "skolan", "social": "socialtjänsten"}


def _workday(day: datetime.date, step: int = 1) -> datetime.date:
    """The day itself if it is a weekday and no public holiday, else the next (or, with
    step=-1, the previous) one that is."""
    while day.weekday() >= 5 or holiday_name(day):
        day += step * DAY
    return day


def _areas(reasons) -> list[str]:
    return sorted({r.split("_")[0] for r in reasons})


class Builder:
    """Walks each demo child along the path, each step on its own day."""

    def __init__(self, *, today: datetime.date, users: dict[str, User], teams: dict[str, Team]):
        self.today = today
        self.users = users
        self.teams = teams
        self.current = Term.objects.ensure_for_day(today)
        self.previous = Term.objects.ensure_for_day(self.current.half_year[0] - DAY)
        self.past: dict[int, list[Meeting]] = {}
        self.orgs = {o.name: o for o in Organisation.objects.all()}

    @contextmanager
    def on(self, day: datetime.date, hour: int = 10, *, by: User | None = None) -> Iterator[None]:
        """Run the block as if it were `day` at `hour` (today runs on the real clock), with
        `by` as the author of the change history, which on the web the request gives."""
        if day > self.today:
            raise ValueError(f"{day} is in the future")
        with ExitStack() as stack:
            if day < self.today:
                start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
                ticks = itertools.count()
                stack.enter_context(
                    mock.patch.object(
                        timezone, "now", lambda: start + datetime.timedelta(seconds=next(ticks))
                    )
                )
            if by is not None:
                stack.enter_context(
                    mock.patch.object(
                        HistoricalRecords.context,
                        "request",
                        SimpleNamespace(user=by),
                        create=True,
                    )
                )
            yield

    # --- the structure ---------------------------------------------------------------------

    def coordinator(self, team_key: str, day: datetime.date) -> User:
        """The team's coordinator on `day`; the demo coordinator is appointed for the term if
        the team has none (seed_demo appoints for the current term only)."""
        team, term = self.teams[team_key], Term.objects.ensure_for_day(day)
        appointment = CoordinatorAppointment.objects.filter(team=team, term=term).first()
        if appointment is None:
            seat = KeyPerson.objects.get(user=self.users[COORDINATORS[team_key]], team=team)
            (appointment,) = team_services.coordinator_appoint(
                appointed_by=None, key_person=seat, terms=[term]
            )
        return appointment.key_person.user

    def generate_meetings(self) -> None:
        """The previous and the current term's meetings, each generated at its term's start
        the way the coordinator does it; the next term's too if this one has none left."""
        for key, team in self.teams.items():
            for term in (self.previous, self.current):
                day = min(term.starts_on, self.today)
                by = self.coordinator(key, day)
                with self.on(day, 8, by=by):
                    meeting_services.meetings_generate(team=team, term=term, by=by, from_day=day)
            if self.next_meeting(team) is None:
                following = Term.objects.ensure_for_day(self.current.half_year[1] + DAY)
                meeting_services.meetings_generate(
                    team=team, term=following, by=self.coordinator(key, self.today)
                )
            self.past[team.pk] = list(
                Meeting.objects.filter(
                    team=team,
                    term__in=[self.previous, self.current],
                    state=Meeting.State.PLANNED,
                    date__lt=self.today,
                ).order_by("date")
            )
            if not self.past[team.pk]:
                raise CommandError(f"{team} has no meetings in the past to build history on.")

    def next_meeting(self, team: Team) -> Meeting | None:
        return (
            Meeting.objects.filter(team=team, state=Meeting.State.PLANNED, date__gte=self.today)
            .order_by("date")
            .first()
        )

    def hold_past_meetings(self) -> int:
        """Everyone present, then the meeting marked as held, on the meeting's own day."""
        held = 0
        for key, team in self.teams.items():
            for meeting in self.past[team.pk]:
                by = self.coordinator(key, meeting.date)
                with self.on(meeting.date, 16, by=by):
                    members = meeting_selectors.team_members(team, meeting.date)
                    meeting = meeting_services.attendance_record(
                        meeting=meeting,
                        by=by,
                        version=Meeting.objects.get(pk=meeting.pk).version,
                        present_user_ids={m.pk for m in members},
                    )
                    meeting_services.meeting_close(meeting=meeting, by=by, version=meeting.version)
                held += 1
        return held

    def member(self, team_key: str, sector: str, fallback: User) -> User:
        local = TEAMS[team_key][1].get(sector)
        return self.users[local] if local else fallback

    # --- one child -------------------------------------------------------------------------

    def walk(self, spec: DemoChild) -> Case:
        team = self.teams[spec.team]
        initiator = self.users[spec.initiator]
        sector = initiator.organisation.sector
        # The key person who contacts the family: of the initiator's sector, or the
        # coordinator when the team has none of it.
        contact = self.member(spec.team, sector, self.users[COORDINATORS[spec.team]])
        meeting = None
        if spec.stage in (STARTED, WAITING, AGENDA):
            actualised_on = _workday(self.today - spec.days_ago * DAY, -1)
        else:
            past = self.past[team.pk]
            meeting = past[max(spec.meeting, -len(past))]
            actualised_on = _workday(meeting.date - 16 * DAY, -1)
        started_on = _workday(actualised_on - 10 * DAY, -1)
        if spec.stage == STARTED:
            started_on = _workday(self.today - spec.days_ago * DAY, -1)

        with self.on(started_on, 9, by=initiator):
            case = self._start(spec, initiator)
        with self.on(min(_workday(started_on + DAY), self.today), 14, by=initiator):
            case_services.case_consent_form_printed(case=case, by=initiator)
        if spec.stage == STARTED:
            return case

        signed_on = _workday(actualised_on - 3 * DAY, -1)
        with self.on(signed_on, 15, by=initiator):
            case_services.case_register_consent(
                case=case,
                registered_by=initiator,
                signed_guardian_ids={g.pk for g in case.guardians.all()},
                child_signed=spec.age >= 12,
                signed_on=signed_on,
                valid_until=consent_longest_end(signed_on),
                sectors=list(spec.sectors),
                family_language=spec.language,
            )
        areas = _areas(spec.reasons)
        with self.on(actualised_on, 11, by=initiator):
            case_services.case_actualise(
                case=case,
                by=initiator,
                team=team,
                concern_health="health" in areas,
                concern_learning="learning" in areas,
                concern_safety="safety" in areas,
                concern_reasons=list(spec.reasons),
                family_description=spec.description
                or " ".join(SAYS[r].format(given=spec.given) for r in spec.reasons),
                child_voice=spec.voice or self._voice(spec, areas),
            )
        if spec.stage == WAITING:
            return case
        if spec.stage == AGENDA:
            upcoming = self.next_meeting(team)
            coordinator = self.coordinator(spec.team, self.today)
            if upcoming is not None:
                with self.on(self.today, by=coordinator):
                    meeting_services.agenda_add(
                        meeting=upcoming, case=case, by=coordinator, version=upcoming.version
                    )
            return case

        # The HLT meeting: on the agenda a week before, minutes on the day.
        coordinator = self.coordinator(spec.team, meeting.date)
        with self.on(_workday(meeting.date - 6 * DAY, -1), 12, by=coordinator):
            item = meeting_services.agenda_add(
                meeting=meeting,
                case=case,
                by=coordinator,
                version=Meeting.objects.get(pk=meeting.pk).version,
            )
        sip_on = _workday(meeting.date + 14 * DAY)
        with self.on(meeting.date, 15, by=coordinator):
            item = self._minutes(spec, item, coordinator, contact, sip_on)
        if spec.feedback_after is not None:
            contacted_on = _workday(meeting.date + spec.feedback_after * DAY)
            if contacted_on <= self.today:
                by = item.contact_person or coordinator
                with self.on(contacted_on, 10, by=by):
                    sip_services.feedback_record(
                        case=case,
                        by=by,
                        contacted_on=contacted_on,
                        method=ContactMethod.MEETING if spec.number % 3 else ContactMethod.PHONE,
                        note="Familjen fick veta vad teamet kom fram till.",
                    )
        if spec.stage in (BACK, CLOSED_AT_MEETING, DISCUSSED):
            return case

        # The SIP meeting, booked a few days after the HLT meeting.
        # Professionals only from the sectors the consent covers (the service checks it).
        professionals = [contact] + [
            self.users[local]
            for s, local in TEAMS[spec.team][1].items()
            if s in spec.sectors and self.users[local] != contact
        ]
        with self.on(min(_workday(meeting.date + 2 * DAY), self.today), 13, by=contact):
            sip_services.sip_meeting_schedule(
                case=Case.objects.get(pk=case.pk),
                by=contact,
                date=sip_on,
                starts_at=datetime.time(9, 0),
                place=f"{contact.organisation}, samtalsrummet",
                invite_child=spec.age >= 6,
                invite_guardians=True,
                interpreter_language=spec.interpreter,
                professionals=professionals[:3],
            )
        if spec.stage == SIP or sip_on > self.today:
            return case
        self._plan_and_follow_ups(spec, case, contact, sip_on)
        return case

    def _start(self, spec: DemoChild, initiator: User) -> Case:
        school = None
        if spec.age >= 6:
            school = self.orgs.get(SCHOOLS.get(spec.team, ""))
        elif spec.age >= 1:
            school = self.orgs.get(PRESCHOOLS.get(spec.team, ""))
        born = datetime.date(
            self.today.year - spec.age, 1 + spec.number * 5 % 12, 1 + spec.number * 7 % 28
        )
        if spec.age >= 7:
            year = f"åk {min(spec.age - 6, 9)}"
        elif spec.age == 6:
            year = "förskoleklass"
        else:
            year = "Avdelning Ekorren" if school else ""
        case, _led_there = case_services.case_start(
            initiated_by=initiator,
            child_data={
                "given_name": spec.given,
                "family_name": f"{spec.family} (demo)",
                "personal_number": None,
                "reserve_number": spec.reserve_number,
                "birth_date": born,
                "sex": spec.sex,
                "school": school,
                "school_year": year,
                "home_languages": spec.home_languages,
                "interpreter_needed": bool(spec.interpreter),
                "protected_identity": False,
            },
        )
        if spec.protected:
            case_services.child_protected_identity_set(case=case, protected=True, by=initiator)
        mother, father = GUARDIAN_NAMES[spec.number % len(GUARDIAN_NAMES)]
        guardians = spec.guardians or (
            ((mother, "mother", "sole", False),)
            if spec.number % 5 == 0
            else ((mother, "mother", "joint", False), (father, "father", "joint", False))
        )
        for n, (given, relation, custody, protected) in enumerate(guardians):
            case_services.guardian_add(
                case=case,
                added_by=initiator,
                data={
                    "given_name": given,
                    "family_name": f"{spec.family} (demo)",
                    "relation": relation,
                    "custody": custody,
                    # The PTS series of phone numbers kept for fiction (070-174 06 05–99).
                    "phone": f"070-174 06 {5 + (spec.number * 2 + n) % 95:02d}",
                    "preferred_language": spec.language,
                    "protected_identity": protected,
                },
            )
        return case

    def _voice(self, spec: DemoChild, areas: list[str]) -> str:
        if spec.age < 5:
            return f"{spec.given} är för liten för att berätta själv; föräldrarna berättar."
        return VOICES[areas[0]]

    def _minutes(self, spec, item, coordinator, contact, sip_on) -> AgendaItem:
        date = item.meeting.date
        if spec.stage == BACK:
            decision, extra = Status.ACTUALISED, {}
        elif spec.stage == CLOSED_AT_MEETING:
            decision, extra = Status.CLOSED, {"closing_reason": spec.closing_reason}
        else:
            decision = (
                Status.SIP_PLANNED
                if spec.stage != DISCUSSED and spec.sip_in_minutes
                else Status.IN_MEETING
            )
            extra = {"contact_person": contact, "contact_by": _workday(date + 5 * DAY)}
            if decision == Status.SIP_PLANNED:
                extra |= {"planning_meeting_on": _workday(date + 7 * DAY), "sip_meeting_on": sip_on}
        members = set(TEAMS[spec.team][1])
        sectors = sorted(s for s in spec.sectors if s in members) or sorted(members)
        note = NOTES[decision]
        if decision == Status.CLOSED:
            note = note[spec.closing_reason]
        text = note.format(
            contact=contact.full_name.split(" (")[0],
            sectors=" och ".join(SECTOR_WORDS[s] for s in sectors).capitalize(),
        )
        return meeting_services.minutes_record(
            item=item,
            by=coordinator,
            version=item.version,
            notes=text,
            meeting_sectors=[] if decision in (Status.ACTUALISED, Status.CLOSED) else sectors,
            next_status=decision,
            **extra,
        )

    def _plan_and_follow_ups(self, spec, case, contact, sip_on) -> None:
        case = Case.objects.get(pk=case.pk)  # plan_start reads the status of the object given
        follow_up_days = [
            min(_workday(sip_on + 42 * n * DAY), self.today) for n in range(1, spec.follow_ups + 1)
        ]
        if spec.stage in (FOLLOWED, CLOSED):
            follow_up_on = follow_up_days[0]
            ends_on = follow_up_days[-1] if spec.stage == CLOSED else self.today + 90 * DAY
        else:
            follow_up_on = _workday(max(sip_on + 70 * DAY, self.today + 14 * DAY))
            ends_on = follow_up_on + 60 * DAY
        written = PLANS.get(spec.number)
        areas = _areas(spec.reasons)
        with self.on(sip_on, 15, by=contact):
            plan = sip_services.plan_start(case=case, by=contact)
            plan = sip_services.plan_update(
                plan=plan,
                by=contact,
                needs=written["needs"] if written else case.family_description,
                child_view=written["child_view"] if written else case.child_voice,
                measures_by_others=written["measures_by_others"] if written else "Inga.",
                overall_organisation=contact.organisation,
                overall_person=contact,
                follow_up_on=follow_up_on,
                follow_up_how=written["follow_up_how"]
                if written
                else "Uppföljande SIP-möte med familjen.",
            )
            goals = written["goals"] if written else [GOALS[a] for a in areas]
            for text in goals:
                sip_services.goal_add(plan=plan, by=contact, text=text.format(given=spec.given))
            planned = written["interventions"] if written else self._interventions(spec, areas)
            for kind, what, sector in planned:
                person = self.member(spec.team, sector, contact)
                sip_services.intervention_add(
                    plan=plan,
                    by=contact,
                    kind=kind,
                    what=what,
                    organisation=person.organisation,
                    person=person,
                    starts_on=sip_on,
                    ends_on=ends_on,
                )
            plan = sip_services.plan_finalise(plan=plan, by=contact)
        signed_on = min(_workday(sip_on + 3 * DAY), self.today)
        with self.on(signed_on, 10, by=contact):
            responsible = {i.person for i in plan.interventions.all()} | {contact}
            sip_services.plan_signature_register(
                plan=plan,
                by=contact,
                signed_on=signed_on,
                guardians=list(case.guardians.all()),
                child_signed=spec.age >= 12,
                professionals=sorted(responsible, key=lambda u: u.pk),
            )
        if spec.stage not in (FOLLOWED, CLOSED):
            return
        for n, held_on in enumerate(follow_up_days, start=1):
            last = n == len(follow_up_days)
            closing = spec.stage == CLOSED and last
            if held_on <= signed_on or (n > 1 and held_on <= follow_up_days[n - 2]):
                return  # not enough time has passed for this follow-up yet
            next_on = None
            if not closing:
                later = follow_up_days[n] if not last else self.today + 28 * DAY
                next_on = _workday(max(later, held_on + DAY))
            with self.on(held_on, 14, by=contact):
                sip_services.follow_up_record(
                    plan=plan,
                    by=contact,
                    held_on=held_on,
                    goal_results={
                        g.pk: (
                            GoalEvaluation.Result.REACHED
                            if closing and spec.closing_reason == "goals_met"
                            else GoalEvaluation.Result.PARTLY,
                            "",
                        )
                        for g in plan.goals.all()
                    },
                    intervention_states={
                        i.pk: (
                            InterventionEvaluation.State.DONE
                            if closing
                            else InterventionEvaluation.State.GOING_ON,
                            "",
                        )
                        for i in plan.interventions.all()
                    },
                    answers={
                        code: 3 + (spec.number + n + i) % 3 for i, code in enumerate(QUESTION_CODES)
                    },
                    family_comment="Det har blivit lugnare, men vi behöver fortsatt stöd."
                    if not closing
                    else "Vi fick hjälp när vi behövde den. Tack!",
                    decision=FollowUp.Decision.CLOSE if closing else FollowUp.Decision.CONTINUE,
                    closing_reason=spec.closing_reason if closing else "",
                    next_follow_up_on=next_on,
                )

    def _interventions(self, spec: DemoChild, areas: list[str]) -> list[tuple[str, str, str]]:
        members = TEAMS[spec.team][1]
        sectors = []
        for area in areas:
            sector = AREA_SECTOR[area]
            sector = sector if sector in members else next(iter(members))
            if sector not in sectors:
                sectors.append(sector)
        result = []
        for sector in sectors:
            kind, what = INTERVENTIONS[sector]
            if spec.team == "norr":
                kind, what = "parent_support", "Föräldrastöd och täta besök på BVC"
            result.append((kind, what, sector))
        return result


class Command(BaseCommand):
    help = (
        "Creates fictional demo children and cases along the whole HLT path on top of "
        "seed_demo (run that first). Creates nothing if the demo cases exist."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        # One transaction: the demo is made whole or not at all.
        with transaction.atomic():
            users, teams = self._seed_demo_data()
            if Child.objects.filter(reserve_number__in=RESERVE_NUMBERS).exists():
                self.stdout.write("The demo cases exist already: nothing was created.")
                return
            builder = Builder(today=timezone.localdate(), users=users, teams=teams)
            builder.generate_meetings()
            cases = [(spec, builder.walk(spec)) for spec in DEMO_CHILDREN]
            held = builder.hold_past_meetings()
        with translation.override("en"):
            self._report(builder, cases, held, time.monotonic() - started)

    def _seed_demo_data(self) -> tuple[dict[str, User], dict[str, Team]]:
        """seed_demo's people, teams and seats, or a CommandError saying what is missing."""
        users = {u.email: u for u in User.objects.filter(email__in=[email(x) for x in STAFF])}
        teams = {k: Team.objects.filter(name=name).first() for k, (name, _m) in TEAMS.items()}
        missing = [email(x) for x in STAFF if email(x) not in users]
        missing += [TEAMS[k][0] for k, team in teams.items() if team is None]
        if not missing:
            missing = [
                f"the seat of {email(local)} in {teams[key]}"
                for key, (_name, members) in TEAMS.items()
                for local in members.values()
                if not KeyPerson.objects.filter(user=users[email(local)], team=teams[key]).exists()
            ]
        if missing:
            raise CommandError(
                "The demo region of seed_demo is missing ("
                + ", ".join(missing)
                + "). Run `python manage.py seed_demo` first."
            )
        return {local: users[email(local)] for local in STAFF}, teams

    def _report(self, builder: Builder, cases, held: int, seconds: float) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {len(cases)} fictional demo cases and held {held} past HLT meetings "
                f"({builder.previous} and {builder.current}) in {seconds:.1f} s."
            )
        )
        counts: dict[str, int] = {}
        for spec, case in cases:
            case.refresh_from_db(fields=["status", "team"])
            counts[case.status] = counts.get(case.status, 0) + 1
            if spec in SHOWCASE:
                self.stdout.write(
                    f"  {spec.reserve_number}  {spec.given} {spec.family} (demo)"
                    f"{', protected identity' if spec.protected else ''}: "
                    f"{Status(case.status).label}, {case.team or 'no team yet'}"
                )
        self.stdout.write(
            "  All demo cases by status: "
            + ", ".join(f"{Status(s).label} {n}" for s, n in sorted(counts.items()))
        )
