"""Protected identity (skyddade personuppgifter): what a user may see of a child and family.

Internal to the gate (`cases.access`): views and documents use the gate's display copies.

For a child with protected identity, the name, identity number, school and the guardians are
masked for everyone but the people explicitly named on the case. A guardian with protected
identity is masked the same way. Addresses are never shown to anyone.
"""

import datetime
import re

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from .models import Case, Guardian

MASK = "***"


def with_identity_flags(cases: QuerySet[Case], user) -> QuerySet[Case]:
    """Annotate `user_is_named` so lists decide masking without a query per row."""
    return cases.annotate(user_is_named=Exists(Case.objects.naming(user).filter(pk=OuterRef("pk"))))


def is_named(case: Case, user) -> bool:
    flag = getattr(case, "user_is_named", None)
    if flag is None:
        flag = Case.objects.naming(user).filter(pk=case.pk).exists()
        case.user_is_named = flag
    return flag


def shows_child_identity(case: Case, user) -> bool:
    return not case.identity_is_protected or is_named(case, user)


def child_label(case: Case, user, day: datetime.date) -> str:
    """The child's name, or a pseudonym (initials, age, school year) when protected."""
    if shows_child_identity(case, user):
        return case.child_details.full_name
    # Not even initials: they come from the protected name.
    return _("Protected identity (case %(number)s)") % {"number": case.pk}


def shows_guardian_identity(case: Case, guardian: Guardian, user) -> bool:
    if not (case.identity_is_protected or guardian.protected_identity):
        return True
    return is_named(case, user)


def guardian_label(case: Case, guardian: Guardian, user, number: int) -> str:
    if shows_guardian_identity(case, guardian, user):
        return guardian.full_name
    return _("Guardian %(number)d (protected identity)") % {"number": number}


def label_cases(cases, user, day: datetime.date) -> list[Case]:
    """Attach `child_label` to each case of a list (annotated with `with_identity_flags`)."""
    cases = list(cases)
    for case in cases:
        case.child_label = child_label(case, user, day)
    return cases


def redactor(case: Case, user):
    """A function hiding, in free text, the names a user may not see.

    Free text written about a protected child often names the family; names of the child
    and guardians whose identity is hidden from this user become "***". The names are
    looked up once, so the function can be applied to many texts.
    """
    guardians = list(case.guardians.all())
    hidden = set()
    if not shows_child_identity(case, user):
        hidden |= {case.child_details.given_name, case.child_details.family_name}
        hidden |= {n for g in guardians for n in (g.given_name, g.family_name)}
    else:
        for guardian in guardians:
            if not shows_guardian_identity(case, guardian, user):
                hidden |= {guardian.given_name, guardian.family_name}
    names = sorted((n for n in hidden if n), key=len, reverse=True)
    if not names:
        return lambda text: text
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)
    return lambda text: pattern.sub(MASK, text) if text else text
