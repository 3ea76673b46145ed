"""factory-boy factories for every model; tests build their world from these."""

import datetime

import factory
from django.utils import timezone

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

PASSWORD = "test-password-123"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Region {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Kommun {n}")
    code = factory.Sequence(lambda n: f"{9000 + n}")
    region = factory.SubFactory(RegionFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = Sector.SCHOOL
    municipality = factory.SubFactory(MunicipalityFactory)
    principal_municipality = factory.LazyAttribute(
        lambda o: None if o.sector == Sector.HEALTH else o.municipality
    )
    principal_region = factory.LazyAttribute(
        lambda o: o.municipality.region if o.sector == Sector.HEALTH else None
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.se")
    full_name = factory.Faker("name", locale="sv_SE")
    phone = "060-12 34 56"
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password(PASSWORD)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"HLT-team {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    catchment = "Solenskolan, Förskolan Tallbacken"
    meeting_place = "Solenskolan, rum 2"
    meeting_week_of_month = Team.WeekOfMonth.SECOND
    meeting_weekday = Team.Weekday.TUESDAY
    meeting_starts_at = datetime.time(13, 0)
    meeting_ends_at = datetime.time(15, 0)


class KeyPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyPerson

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    organisation = factory.LazyAttribute(lambda o: o.user.organisation)
    profession = "special_educator"
    active_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=400))


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ["kind", "year"]

    kind = Term.Kind.AUTUMN
    year = 2026
    starts_on = factory.LazyAttribute(lambda o: Term.default_dates(o.kind, o.year)[0])
    ends_on = factory.LazyAttribute(lambda o: Term.default_dates(o.kind, o.year)[1])


class CoordinatorAppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoordinatorAppointment

    key_person = factory.SubFactory(KeyPersonFactory)
    team = factory.LazyAttribute(lambda o: o.key_person.team)
    term = factory.LazyFunction(Term.objects.ensure_current)


class ManagerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Manager

    user = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda o: o.user.organisation)
    active_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=400))


class ProcessLeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessLeader

    user = factory.SubFactory(UserFactory, organisation=None)
    region = factory.SubFactory(RegionFactory)


# --- cases and consent ------------------------------------------------------------------------
from cases.models import Case, Child, Guardian  # noqa: E402
from consent.models import Consent, ConsentSignature  # noqa: E402


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    given_name = "Alva"
    family_name = factory.Sequence(lambda n: f"Testsson{n}")
    personal_number = None
    reserve_number = factory.Sequence(lambda n: f"RES-{n:05d}")
    birth_date = datetime.date(2014, 5, 17)
    sex = "girl"
    school_year = "åk 6"


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    case = factory.SubFactory("tests.factories.CaseFactory")
    given_name = factory.Sequence(lambda n: f"Förälder{n}")
    family_name = "Testsson"
    relation = "parent"
    custody = "joint"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    child = factory.SubFactory(ChildFactory)
    initiated_by = factory.SubFactory(UserFactory)
    initiating_organisation = factory.LazyAttribute(lambda o: o.initiated_by.organisation)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    case = factory.SubFactory(CaseFactory)
    covers_health = True
    covers_school = True
    covers_social = True
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))
    registered_by = factory.LazyAttribute(lambda o: o.case.initiated_by)


class ConsentSignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentSignature

    consent = factory.SubFactory(ConsentFactory)
    guardian = factory.SubFactory(GuardianFactory)
