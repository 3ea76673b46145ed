"""The path of one child: start a case, guardians, consent form, signatures, actualisation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AccessLogEntry as Log
from audit.selectors import is_log_reviewer
from consent import selectors as consent_selectors
from consent.models import Consent
from hlt import idempotency
from teams.selectors import team_for_user, teams_visible_to

from . import access, extracts, selectors, services
from .forms import (
    ActualiseForm,
    ChildForm,
    ConsentPrintForm,
    ConsentRegisterForm,
    ConsentWithdrawForm,
    GuardianForm,
    RegisterExtractForm,
)
from .lists import CaseFilter, case_rows, compiled_once, field_group, paginate
from .models import Case
from .sections import case_page_sections
from .workflow import Status


def _form_page(request, *, case=None, form, title, intro="", submit, multipart=False):
    return render(
        request,
        "cases/form_page.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "intro": intro,
            "submit": submit,
            "multipart": multipart,
        },
    )


def _apply(form, call):
    """Run a service; put its ValidationError next to the fields. Returns the result or None."""
    try:
        return call()
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


def _case_list_page(request, *, title: str, team=None):
    """A case list with the search, filters, sorting and pages of `cases.lists`. Only the
    page's rows are read and logged (as a search when the search box was used)."""
    # The gate's visible cases as SQL compiled once per process (built where it cannot be).
    visible = access.visible_cases_sql(request.user, team=None if team is None else team.pk)
    if visible is None:
        visible = selectors.cases_visible_to(request.user)
        if team is not None:
            visible = visible.filter(team=team)
    cases, cases_sql = compiled_once(visible)
    filters = CaseFilter(
        request.GET or None,
        cases.select_related("child", "team"),
        request=request,
        team=team,
        cases_sql=cases_sql,
    )
    # A search or filter that could not be read shows no case, with the message beside the
    # field, rather than every case as if it were the answer.
    found = filters.qs if not filters.is_bound or filters.is_valid() else cases.none()
    table = paginate(access.with_identity_flags(found, request.user), request.GET)
    search = filters.search_kind
    shown = access.reveal_cases(
        request,
        list(table.page.object_list),
        kind=Log.Kind.CASE_LIST,
        action=Log.Action.SEARCH if search else Log.Action.VIEW,
        context=f"search: {search}" if search else (str(team) if team else ""),
    )
    table.rows = case_rows(shown)
    form = filters.form
    context = {
        "title": title,
        "filter": filters,
        "search_field": field_group(form["q"]),
        "filter_fields": [field_group(field) for field in form if field.name != "q"],
        "table": table,
        "team": team,
    }
    return render(request, "cases/case_list.html", context)


@login_required
def case_list(request):
    return _case_list_page(request, title=_("My cases"))


@login_required
def team_cases(request, team_pk):
    team = team_for_user(request.user, team_pk)
    # A seat active today (KeyPerson.objects.active_on), not any seat ever held.
    if team.pk not in {t for t, _sector in access.active_seats(request.user, timezone.localdate())}:
        raise Http404
    return _case_list_page(request, title=_("Cases of %(team)s") % {"team": team}, team=team)


@login_required
def case_start(request):
    if request.user.organisation_id is None:
        raise PermissionDenied
    form = ChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = {}

        def start():
            case, found["existing"] = services.case_start(
                initiated_by=request.user, child_data=form.cleaned_data
            )
            return case

        result = _apply(
            form, lambda: idempotency.once(user=request.user, token=form.submit_token, create=start)
        )
        if result:
            case, created = result
            if not created:
                messages.info(
                    request, _("This form was already sent: here is the case it started.")
                )
                return redirect("cases:guardians", case.pk) if case else redirect("cases:list")
            if found["existing"]:
                messages.info(request, _("The child is already registered: here is the case."))
                return redirect("cases:detail", case.pk)
            return redirect("cases:guardians", case.pk)
    return _form_page(
        request,
        form=form,
        title=_("Start a case: the child"),
        intro=_(
            "Start a case only after talking with the family. Until the guardians have "
            "signed the consent, only you can see it."
        ),
        submit=_("Continue to the guardians"),
    )


@login_required
def case_guardians(request, pk):
    case = selectors.case_for_user(request.user, pk)
    form = GuardianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = _apply(
            form,
            lambda: idempotency.once(
                user=request.user,
                token=form.submit_token,
                create=lambda: services.guardian_add(
                    case=case, added_by=request.user, data=form.cleaned_data
                ),
            ),
        )
        if result:
            _guardian, created = result
            if created:
                messages.success(request, _("The guardian was added."))
            else:
                messages.info(request, _("This form was already sent: the guardian is added."))
            return redirect("cases:guardians", case.pk)
    view = access.reveal_case(request, case, kind=Log.Kind.GUARDIAN, with_guardians=True)
    return render(
        request,
        "cases/case_guardians.html",
        {
            "case": view,
            "form": form,
            "child_label": view.child_label,
            "guardians": view.guardians,
        },
    )


@login_required
def consent_print(request, pk):
    """The form's page (GET); the PDF, by POST (the case now waits for the signed paper) or
    by GET with the choices (a reprint: a read, which changes nothing)."""
    case = selectors.case_for_user(request.user, pk)
    initial = {"language": case.consent_form_language or _guardians_language(case)}
    if request.method == "POST":
        form = ConsentPrintForm(request.POST, initial=initial)
    else:
        form = ConsentPrintForm(request.GET if "language" in request.GET else None, initial=initial)
    if form.is_bound and form.is_valid():

        def printed():
            if request.method == "POST":
                services.case_consent_form_printed(
                    case=case,
                    by=request.user,
                    language=form.cleaned_data["language"],
                    sectors=list(form.cleaned_data["sectors"]),
                )
            return _consent_pdf(request, case, form.cleaned_data)

        pdf = _apply(form, printed)
        if pdf is not None:
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="samtycke-{case.pk}-{form.cleaned_data["language"]}.pdf"'
            )
            return response
    return render(request, "cases/consent_print.html", {"case": case, "form": form})


def _guardians_language(case: Case) -> str:
    """The guardians' preferred language other than Swedish, if any (the form is printed in
    Swedish beside it)."""
    languages = [g.preferred_language for g in case.guardians.all()]
    return next((lang for lang in languages if lang and lang != "sv"), "sv")


def _signature_blocks(guardians) -> list[str]:
    """A signature block per guardian; with joint custody and one guardian on record, a
    second block for the other guardian (both must sign)."""
    names = [g.label for g in guardians]
    joint = [g for g in guardians if g.joint_custody]
    if len(joint) == 1:
        names.append("")
    return names


def _consent_pdf(request, case: Case, data) -> bytes:
    from consent.documents import ConsentFormData, consent_form_pdf

    user = request.user
    # A read: printing by POST has already recorded the print (consent_print).
    view = access.reveal_case(
        request, case, kind=Log.Kind.CONSENT_FORM, action=Log.Action.PRINT, with_guardians=True
    )
    form_data = ConsentFormData(
        child_name=view.child.label,
        # A protected child's birth date only for the people named on the case.
        child_birth_date=view.child.birth_date,
        child_signs=(view.child.age or 0) >= 12,
        guardian_names=_signature_blocks(view.guardians),
        sectors=list(data["sectors"]),
        organisation_names=[],
        team_name=str(case.team or ""),
        initiator_name=user.full_name,
        initiator_organisation=str(user.organisation),
        initiator_phone=user.phone,
    )
    return consent_form_pdf(form_data, data["language"])


@login_required
def consent_register(request, pk):
    case = selectors.case_for_user(request.user, pk)
    form = ConsentRegisterForm(
        request.POST or None,
        request.FILES or None,
        case=case,
        guardian_labels={g.pk: g.label for g in access.guardian_views(case, request.user)},
        # What the printed form said (issue 16 item 5): the same language and sectors.
        initial={
            "family_language": case.consent_form_language or _guardians_language(case),
            **({"sectors": case.consent_form_sectors} if case.consent_form_sectors else {}),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = _apply(
            form,
            lambda: idempotency.once(
                user=request.user,
                token=form.submit_token,
                create=lambda: services.case_register_consent(
                    case=case,
                    registered_by=request.user,
                    warnings_confirmed=data["confirm_warnings"],
                    signed_guardian_ids={g.pk for g in data["signed_guardians"]},
                    child_signed=data["child_signed"],
                    signed_on=data["signed_on"],
                    valid_until=data["valid_until"],
                    sectors=data["sectors"],
                    family_language=data["family_language"],
                    scan=data["scan"],
                ),
            ),
        )
        form.offer_confirmation()
        if result:
            _consent, created = result
            if created:
                messages.success(request, _("The consent is registered."))
            else:
                messages.info(request, _("This form was already sent: the consent is registered."))
            return redirect("cases:actualise" if case.team_id is None else "cases:detail", case.pk)
    return _form_page(
        request,
        case=case,
        form=form,
        title=_("Register the signed consent"),
        intro=_(
            "With joint custody both guardians must sign. A consent without every "
            "required signature is not valid."
        ),
        submit=_("Register consent"),
        multipart=True,
    )


@login_required
def case_actualise(request, pk):
    case = selectors.case_for_user(request.user, pk)
    if case.status == Status.DRAFT:
        messages.info(request, _("Register the signed consent before actualising the case."))
        return redirect("cases:consent_register", case.pk)
    if case.status != Status.AWAITING_CONSENT:
        messages.info(request, _("The case is already actualised."))
        return redirect("cases:detail", case.pk)
    form = ActualiseForm(request.POST or None, teams=teams_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        if _apply(
            form, lambda: services.case_actualise(case=case, by=request.user, **form.cleaned_data)
        ):
            messages.success(request, _("The case is actualised to the HLT team."))
            return redirect("cases:detail", case.pk)
    return _form_page(
        request,
        case=case,
        form=form,
        title=_("Actualise the case"),
        intro=_("The team serving the child's school or area will discuss the case."),
        submit=_("Actualise"),
    )


@login_required
def case_detail(request, pk):
    try:
        case = selectors.case_for_user(request.user, pk)
    except Http404:
        consent = selectors.case_consent_ended_for_user(request.user, pk)
        if consent is None:
            raise
        return render(request, "cases/consent_ended.html", {"consent": consent, "case_pk": pk})
    # One query for the guardians, read here and again by the redactor.
    prefetch_related_objects([case], "guardians")
    view = access.reveal_case(request, case, kind=Log.Kind.CASE, with_guardians=True)
    labels = {g.pk: g.label for g in view.guardians}
    signers = consent_selectors.signers_of(case)
    context = {
        "case": view,
        "child": view.child,
        "child_label": view.child_label,
        "shows_identity": view.child.shows_identity,
        "family_description": view.family_description,
        "child_voice": view.child_voice,
        "is_named": view.is_named,
        "guardians": view.guardians,
        "consents": [
            (consent, [labels.get(g, "") for g in signers.get(consent.pk, [])])
            for consent in consent_selectors.consents_of(case)
        ],
        "actions": case.available_actions(request.user),
        "today": timezone.localdate(),
    }
    # The chronology (workday) and any other section of later apps.
    context.update(case_page_sections.context(request, case, redact=view.redact))
    return render(request, "cases/case_detail.html", context)


@login_required
def case_history(request, pk):
    """The detailed change history of a case, field by field (folded below the case page's
    chronology; loaded when opened, or as a page of its own without JavaScript)."""
    case = selectors.case_for_user(request.user, pk)
    prefetch_related_objects([case], "guardians")
    view = access.reveal_case(
        request, case, kind=Log.Kind.CASE, context="history", with_guardians=True
    )
    timeline = selectors.case_timeline(
        case,
        shows_identity=view.child.shows_identity and all(g.identity_shown for g in view.guardians),
        redact=view.redact,
    )
    context = {"case": view, "timeline": timeline, "child_label": view.child_label}
    if request.htmx:
        return render(request, "cases/_history.html", context)
    return render(request, "cases/case_history.html", context)


@login_required
def consent_withdraw(request, pk):
    case = selectors.case_for_user(request.user, pk)
    form = ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _apply(
            form,
            lambda: services.case_withdraw_consent(
                case=case,
                by=request.user,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                told_by=form.cleaned_data["told_by"],
                note=form.cleaned_data["note"],
            ),
        ):
            messages.success(request, _("The consent is withdrawn. Sharing has stopped."))
            return redirect("cases:detail", case.pk)
    return _form_page(
        request,
        case=case,
        form=form,
        title=_("Withdraw consent"),
        intro=_("From the day of withdrawal nobody in the team can see the case any more."),
        submit=_("Withdraw consent"),
    )


@login_required
def consent_scan(request, pk, consent_pk):
    case = selectors.case_for_user(request.user, pk)
    consent = Consent.objects.filter(case=case, pk=consent_pk).exclude(scan="").first()
    if consent is None:
        raise Http404
    access.record_shown(request, [case], kind=Log.Kind.CONSENT_SCAN, action=Log.Action.DOWNLOAD)
    return FileResponse(
        consent.scan.open("rb"),
        as_attachment=True,
        filename=f"samtycke-{case.pk}-{consent.pk}",
        content_type=consent.scan_content_type,
    )


@login_required
@require_POST
def protected_identity_set(request, pk):
    case = selectors.case_for_user(request.user, pk)
    protected = request.POST.get("protected") == "1"
    services.child_protected_identity_set(case=case, protected=protected, by=request.user)
    messages.success(
        request,
        _("The child now has protected identity.")
        if protected
        else _("Protected identity was removed. The change is kept in the history."),
    )
    return redirect("cases:detail", case.pk)


@login_required
def register_extract(request):
    """For the designated log reviewer (the registrar): a child's register extract or the
    extract of who read the child's data, by identity number."""
    if not is_log_reviewer(request.user):
        raise PermissionDenied
    form = RegisterExtractForm(request.GET if "number" in request.GET else None)
    if form.is_bound and form.is_valid():
        child = form.cleaned_data["child"]
        document = form.cleaned_data["document"]
        pdf = (
            extracts.register_extract_pdf(child)
            if document == "register"
            else extracts.access_extract_pdf(child)
        )
        access.record_shown(
            request,
            Case.objects.filter(child=child).select_related("team"),
            kind=Log.Kind.EXTRACT,
            action=Log.Action.EXPORT,
            context=document,
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{document}-{child.pk}.pdf"'
        return response
    return render(
        request,
        "cases/form_page_get.html",
        {
            "form": form,
            "title": _("Register extract"),
            "submit": _("Make the extract (PDF)"),
            "intro": _(
                "For a request from a child's guardian: everything the system holds about "
                "the child and the family, or who has read the child's data."
            ),
        },
    )
