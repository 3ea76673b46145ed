import datetime

import pytest
from django.utils import timezone

from cases import services
from consent.models import consent_longest_end


def make_case(world, *, initiator=None, sectors=("school", "health"), actualise=True):
    """A case made the real way: started, two guardians in joint custody, consent, actualised."""
    initiator = initiator or world.key_person
    case, _ = services.case_start(
        initiated_by=initiator,
        child_data={
            "given_name": "Alva",
            "family_name": "Ek",
            "personal_number": "201405172386",
            "reserve_number": None,
            "birth_date": datetime.date(2014, 5, 17),
            "sex": "girl",
            "school": world.school,
            "school_year": "åk 6",
            "home_languages": "arabiska",
            "interpreter_needed": True,
            "protected_identity": False,
        },
    )
    for given in ("Amal", "Karim"):
        services.guardian_add(
            case=case,
            added_by=initiator,
            data={
                "given_name": given,
                "family_name": "Ek",
                "relation": "parent",
                "custody": "joint",
                "preferred_language": "ar",
            },
        )
    if not actualise:
        return case
    services.case_consent_form_printed(case=case, by=initiator)
    today = timezone.localdate()
    services.case_register_consent(
        case=case,
        registered_by=initiator,
        signed_guardian_ids={g.pk for g in case.guardians.all()},
        child_signed=True,
        signed_on=today,
        valid_until=consent_longest_end(today),
        sectors=list(sectors),
        family_language="ar",
    )
    services.case_actualise(
        case=case,
        by=initiator,
        team=world.team_a,
        concern_health=True,
        concern_learning=True,
        concern_safety=False,
        concern_reasons=["health_mental", "learning_absence"],
        family_description="Alva sover dåligt och är ofta borta från skolan.",
        child_voice="Jag vill må bättre.",
    )
    return case


@pytest.fixture
def case(world):
    return make_case(world)


@pytest.fixture
def draft_case(world):
    return make_case(world, actualise=False)
