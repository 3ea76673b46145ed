"""The printed SIP for the family to sign: Swedish beside the family's language (PDF/UA)."""

import datetime
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone

from consent.documents import RTL_LANGUAGES, render_pdf
from consent.models import FamilyLanguage

from .plan_texts import KINDS, TEXTS

CHILD_SIGNS_FROM_AGE = 12


@dataclass(frozen=True)
class InterventionRow:
    kind: str
    what: str
    agency: str
    person: str
    starts_on: datetime.date
    ends_on: datetime.date


@dataclass(frozen=True)
class Contact:
    agency: str
    person: str
    phone: str
    email: str


@dataclass(frozen=True)
class PlanPdfData:
    child_name: str
    child_birth_date: datetime.date | None
    child_signs: bool
    version: int
    finalised_on: datetime.date | None
    team_name: str
    needs: str
    child_view: str
    goals: list[str]
    interventions: list[InterventionRow]
    measures_by_others: str
    overall: Contact
    follow_up_on: datetime.date | None
    follow_up_how: str
    guardian_names: list[str] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    professionals: list[str] = field(default_factory=list)


def _column(language: str) -> dict:
    return {
        "code": language,
        "dir": "rtl" if language in RTL_LANGUAGES else "ltr",
        "t": TEXTS[language],
        "kinds": KINDS[language],
    }


def sip_plan_pdf(data: PlanPdfData, language: str) -> bytes:
    if language not in FamilyLanguage.values:
        raise ValueError(f"Unsupported SIP language: {language!r}")
    columns = [_column("sv")] + ([_column(language)] if language != "sv" else [])
    rows = [
        {"row": row, "kinds": [(c["code"], c["dir"], c["kinds"][row.kind]) for c in columns]}
        for row in data.interventions
    ]
    html = render_to_string(
        "sip/pdf/plan.html",
        {"data": data, "columns": columns, "rows": rows, "title": TEXTS["sv"]["title"]},
    )
    return render_pdf(html)


def plan_pdf_data(plan, user) -> PlanPdfData:
    """What the printed plan shows, as the requesting user may see it."""
    from cases import access

    case = plan.case
    today = timezone.localdate()
    # The display copy from the gate; the download that hands the PDF out is logged there.
    view = access.display_case(case, user, today, with_guardians=True)
    redact = view.redact
    interventions = list(plan.interventions.select_related("organisation", "person"))

    def contact(org, person) -> Contact:
        return Contact(
            agency=str(org or ""),
            person=person.full_name if person else "",
            phone=person.phone if person else "",
            email=person.email if person else "",
        )

    contacts, seen = [], set()
    for i in interventions:
        if (i.organisation_id, i.person_id) not in seen:
            seen.add((i.organisation_id, i.person_id))
            contacts.append(contact(i.organisation, i.person))
    people = [plan.overall_person] + [i.person for i in interventions]
    professionals = list(dict.fromkeys(p.full_name for p in people if p))
    return PlanPdfData(
        child_name=view.child.label,
        child_birth_date=view.child.birth_date,
        child_signs=(view.child.age or 0) >= CHILD_SIGNS_FROM_AGE,
        version=plan.version,
        finalised_on=timezone.localtime(plan.finalised_at).date() if plan.finalised_at else None,
        team_name=str(case.team or ""),
        needs=redact(plan.needs),
        child_view=redact(plan.child_view),
        goals=[redact(g.text) for g in plan.goals.all()],
        interventions=[
            InterventionRow(
                kind=i.kind,
                what=redact(i.what),
                agency=str(i.organisation),
                person=i.person.full_name,
                starts_on=i.starts_on,
                ends_on=i.ends_on,
            )
            for i in interventions
        ],
        measures_by_others=redact(plan.measures_by_others),
        overall=contact(plan.overall_organisation, plan.overall_person),
        follow_up_on=plan.follow_up_on,
        follow_up_how=redact(plan.follow_up_how),
        guardian_names=[g.label for g in view.guardians],
        contacts=contacts,
        professionals=professionals,
    )


def render_plan_job(params: dict) -> bytes:
    """The background job's renderer: params hold ids and the language only."""
    from cases.models import Case
    from teams.models import User

    from .models import Plan

    plan = Plan.objects.select_related("overall_organisation", "overall_person").get(
        pk=params["plan_id"]
    )
    plan.case = Case.objects.select_related("child", "team").get(pk=plan.case_id)
    user = User.objects.get(pk=params["user_id"])
    return sip_plan_pdf(plan_pdf_data(plan, user), params["language"])
