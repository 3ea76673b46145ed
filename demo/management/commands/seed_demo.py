"""Create a realistic, clearly fictional demo region. Safe to run any number of times."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from teams import services
from teams.models import (
    CoordinatorAppointment,
    KeyPerson,
    Manager,
    Municipality,
    Organisation,
    ProcessLeader,
    Region,
    Sector,
    Team,
    Term,
    User,
)

DEMO_PASSWORD = "demo-hlt-2026"
DOMAIN = "demo.hlt.example"

MUNICIPALITIES = [("Härnösand", "2280"), ("Kramfors", "2282"), ("Sollefteå", "2283")]

# (name, sector, municipality, principal is the region)
ORGANISATIONS = [
    ("Öbacka hälsocentral", Sector.HEALTH, "Härnösand", True),
    ("Härnösands barnavårdscentral", Sector.HEALTH, "Härnösand", True),
    ("Solenskolan", Sector.SCHOOL, "Härnösand", False),
    ("Förskolan Tallbacken", Sector.SCHOOL, "Härnösand", False),
    ("Barn- och familjeenheten Härnösand", Sector.SOCIAL, "Härnösand", False),
    ("Kramfors hälsocentral", Sector.HEALTH, "Kramfors", True),
    ("Gudmundråskolan", Sector.SCHOOL, "Kramfors", False),
    ("Individ- och familjeomsorgen Kramfors", Sector.SOCIAL, "Kramfors", False),
    ("Sollefteå hälsocentral", Sector.HEALTH, "Sollefteå", True),
    ("Nipanskolan", Sector.SCHOOL, "Sollefteå", False),
    ("Barn och familj Sollefteå", Sector.SOCIAL, "Sollefteå", False),
]

# (name, municipality, catchment, place, week of month, weekday, start hour)
TEAMS = [
    (
        "HLT Härnösand centrum",
        "Härnösand",
        "Solenskolan, Förskolan Tallbacken, Centrala stan",
        "Solenskolan, rum 2",
        2,
        1,
        13,
    ),
    (
        "HLT Härnösand norr",
        "Härnösand",
        "Norra delen av kommunen: Brunne, Viksjö, Utansjö",
        "Öbacka hälsocentral, konferensrummet",
        3,
        2,
        9,
    ),
    (
        "HLT Kramfors",
        "Kramfors",
        "Gudmundråskolan och förskolorna i centrala Kramfors",
        "Gudmundråskolan, Lärkan",
        2,
        3,
        13,
    ),
    (
        "HLT Sollefteå",
        "Sollefteå",
        "Nipanskolan och förskolorna i Sollefteå tätort",
        "Sollefteå hälsocentral, plan 2",
        1,
        1,
        14,
    ),
]

# (e-mail local part, name, organisation, phone)
PEOPLE = [
    ("samordnare", "Sara Lindqvist", "Solenskolan", "0611-34 80 01"),
    ("halsa", "Henrik Berglund", "Öbacka hälsocentral", "0611-34 80 02"),
    ("social", "Maria Nordin", "Barn- och familjeenheten Härnösand", "0611-34 80 03"),
    ("bvc", "Lena Sjöberg", "Härnösands barnavårdscentral", "0611-34 80 04"),
    ("kramfors", "Johan Eriksson", "Gudmundråskolan", "0612-80 00 05"),
    ("kramfors.halsa", "Fatima Hassan", "Kramfors hälsocentral", "0612-80 00 06"),
    ("chef", "Karin Holm", "Solenskolan", "0611-34 80 07"),
    ("personal", "Peter Ström", "Solenskolan", "0611-34 80 08"),
    ("processledare", "Eva Westin", None, "0611-80 00 09"),
    ("admin", "Systemadministratör", None, ""),
]

# (e-mail local part, team, profession, coordinator this term)
SEATS = [
    ("samordnare", "HLT Härnösand centrum", "special_educator", True),
    ("halsa", "HLT Härnösand centrum", "counsellor", False),
    ("social", "HLT Härnösand centrum", "social_worker", False),
    ("bvc", "HLT Härnösand norr", "bvc_nurse", True),
    ("kramfors", "HLT Kramfors", "school_counsellor", True),
    ("kramfors.halsa", "HLT Kramfors", "psychologist", False),
]

# What each person of PEOPLE does, for the login list the command prints (README: Demo).
ROLES = {
    "samordnare": "coordinator and key person (school), HLT Härnösand centrum",
    "halsa": "key person (health), HLT Härnösand centrum",
    "social": "key person (social services), HLT Härnösand centrum",
    "bvc": "coordinator and key person (child health nurse), HLT Härnösand norr",
    "kramfors": "coordinator and key person (school), HLT Kramfors (another team)",
    "kramfors.halsa": "key person (health), HLT Kramfors",
    "chef": "manager of Solenskolan and Förskolan Tallbacken",
    "personal": "staff member at Solenskolan, no team seat",
    "processledare": "regional process leader, Region Västernorrland",
    "admin": "system administrator (Django admin at /admin/)",
}

# Managers: (e-mail local part, organisations)
MANAGERS = [
    ("chef", ["Solenskolan", "Förskolan Tallbacken"]),
]


def email(local: str) -> str:
    return f"{local}@{DOMAIN}"


class Command(BaseCommand):
    help = "Creates the demo region Västernorrland with teams and a user for every role."

    @transaction.atomic
    def handle(self, *args, **options):
        today = timezone.localdate()
        start_of_year = datetime.date(today.year, 1, 1) - datetime.timedelta(days=365)
        region, _ = Region.objects.get_or_create(name="Region Västernorrland")
        municipalities = {}
        for name, code in MUNICIPALITIES:
            municipalities[name], _ = Municipality.objects.get_or_create(
                code=code, defaults={"name": name, "region": region}
            )
        organisations = {}
        for name, sector, municipality, by_region in ORGANISATIONS:
            organisations[name], _ = Organisation.objects.get_or_create(
                name=name,
                municipality=municipalities[municipality],
                defaults={
                    "sector": sector,
                    "principal_region": region if by_region else None,
                    "principal_municipality": None if by_region else municipalities[municipality],
                },
            )
        teams = {}
        for name, municipality, catchment, place, week, weekday, hour in TEAMS:
            teams[name], _ = Team.objects.get_or_create(
                name=name,
                defaults={
                    "municipality": municipalities[municipality],
                    "catchment": catchment,
                    "meeting_place": place,
                    "meeting_week_of_month": week,
                    "meeting_weekday": weekday,
                    "meeting_starts_at": datetime.time(hour, 0),
                    "meeting_ends_at": datetime.time(hour + 2, 0),
                },
            )
        users = {}
        for local, name, organisation, phone in PEOPLE:
            user, created = User.objects.get_or_create(
                email=email(local),
                defaults={
                    "full_name": f"{name} (demo)",
                    "phone": phone,
                    "organisation": organisations.get(organisation),
                    "is_staff": local == "admin",
                    "is_superuser": local == "admin",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            users[local] = user
        for local, names in MANAGERS:
            for org in names:
                Manager.objects.get_or_create(
                    user=users[local],
                    organisation=organisations[org],
                    defaults={"active_from": start_of_year},
                )
        ProcessLeader.objects.get_or_create(
            user=users["processledare"], defaults={"region": region}
        )
        terms = [Term.objects.ensure_for_day(today)]
        for local, team, profession, coordinates in SEATS:
            seat = KeyPerson.objects.filter(user=users[local], team=teams[team]).first()
            if seat is None:
                seat = KeyPerson.objects.create(
                    user=users[local],
                    team=teams[team],
                    organisation=users[local].organisation,
                    profession=profession,
                    active_from=start_of_year,
                )
            if coordinates:
                for term in terms:
                    if not CoordinatorAppointment.objects.filter(
                        team=seat.team, term=term
                    ).exists():
                        services.coordinator_appoint(
                            appointed_by=None, key_person=seat, terms=[term]
                        )
        services.team_groups_sync(day=today)

        self.stdout.write(self.style.SUCCESS("Demo data is ready (all people are fictional)."))
        self.stdout.write(
            f"Log in at http://127.0.0.1:8000/login/ with password {DEMO_PASSWORD} as:"
        )
        # Everyone in PEOPLE, in that order: a person without a line here is a KeyError.
        for local, *_ in PEOPLE:
            self.stdout.write(f"  {email(local):<40} {ROLES[local]}")
