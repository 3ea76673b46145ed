"""SIP pages: the case's SIP overview, the family's feedback, the SIP meeting, the plan in
versions, its PDF (a background job), the signed paper and the follow-ups.

Access goes through `sip.access` (404 for people who may not see the case, 403 for people
who may see but not change it). Every opening of a plan, its PDF or its scan is logged.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AccessLogEntry as Log
from cases import access
from consent import jobs
from consent.models import DocumentJob
from hlt import idempotency

from . import access as sip_access
from . import selectors, services
from .access import may_edit, may_edit_text, plan_for_user, sip_case_for_user
from .forms import (
    FeedbackForm,
    FollowUpForm,
    GoalFormSet,
    InterventionFormSet,
    ObjectList,
    PlanForm,
    PrintForm,
    SignatureForm,
    SipMeetingForm,
)
from .models import Plan, PlanSignature


def _created_message(request, result, done: str) -> None:
    """`result` is idempotency.once()'s (object, created): a repeated submit is told so."""
    _obj, created = result
    if created:
        messages.success(request, done)
    else:
        messages.info(request, _("This form was already sent: here is what it saved."))


def _apply(form, call):
    """Run a service; put its ValidationError next to the fields. The result, or None."""
    try:
        return call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None


def _form_page(request, *, case, form, title, submit, intro="", back=None, multipart=False):
    # The page names the child: through the gate, which logs it.
    view = access.reveal_case(request, case, kind=Log.Kind.SIP_PLAN)
    context = {
        "case": view,
        "child_label": view.child_label,
        "form": form,
        "title": title,
        "intro": intro,
        "submit": submit,
        "back": back,
        "multipart": multipart,
    }
    return render(request, "sip/form_page.html", context)


@login_required
def case_sip(request, pk):
    case = sip_case_for_user(request.user, pk)
    view = access.reveal_case(request, case, kind=Log.Kind.CASE)
    context = {
        "case": view,
        "child_label": view.child_label,
        "feedback": selectors.feedback_for_case(case),
        "sip_meetings": selectors.sip_meetings(case),
        "plans": sip_access.plan_versions(case),
        "follow_ups": [
            access.display_copy(
                f,
                view,
                ["family_comment"],
                related={
                    "goals": (["comment"], {"goal": ["text"]}),
                    "interventions": ([], {"intervention": ["what"]}),
                },
            )
            for f in selectors.follow_ups(case)
        ],
        "may_edit": may_edit(request.user, case),
        "today": timezone.localdate(),
    }
    return render(request, "sip/case_sip.html", context)


@login_required
def feedback_record(request, pk):
    case = sip_case_for_user(request.user, pk, write=True)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _apply(
            form, lambda: services.feedback_record(case=case, by=request.user, **form.cleaned_data)
        ):
            messages.success(request, _("The contact with the family is recorded."))
            return redirect("sip:case", case.pk)
    return _form_page(
        request,
        case=case,
        form=form,
        title=_("Record the feedback to the family"),
        intro=_("The family hears back within one week of the HLT meeting."),
        submit=_("Save"),
    )


def _sip_meeting_initial(case) -> dict:
    """What is known already (issue 16 item 5): the SIP meeting's date as planned in the HLT
    meeting's minutes, and an interpreter in the guardians' language when they prefer
    another language than Swedish."""
    initial = {}
    feedback = selectors.feedback_for_case(case)
    planned = feedback.item.sip_meeting_on if feedback else None
    if planned and planned >= timezone.localdate():
        initial["date"] = planned
    languages = [g.preferred_language for g in services.guardians_of(case)]
    language = next((lang for lang in languages if lang and lang != "sv"), "")
    if language:
        initial["interpreter_language"] = language
    return initial


@login_required
def meeting_new(request, pk):
    case = sip_case_for_user(request.user, pk, write=True)
    form = SipMeetingForm(
        request.POST or None,
        professionals=services.professionals_for(case),
        initial=_sip_meeting_initial(case),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data["professionals"] = list(data["professionals"])
        result = _apply(
            form,
            lambda: idempotency.once(
                user=request.user,
                token=form.submit_token,
                create=lambda: services.sip_meeting_schedule(case=case, by=request.user, **data),
            ),
        )
        if result:
            _created_message(request, result, _("The SIP meeting is planned."))
            return redirect("sip:case", case.pk)
    return _form_page(
        request,
        case=case,
        form=form,
        title=_("Plan a SIP meeting"),
        intro=_(
            "Invite the child, the guardians, an interpreter if needed, and the professionals."
        ),
        submit=_("Plan the meeting"),
    )


@login_required
@require_POST
def plan_new(request, pk):
    case = sip_case_for_user(request.user, pk, write=True)
    try:
        plan = services.plan_start(case=case, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("sip:case", case.pk)
    return redirect("sip:plan", plan.pk)


PLAN_TEXT = ("needs", "child_view", "measures_by_others", "follow_up_how")


def _plan_editor(plan, data=None, add: str = "") -> dict:
    """The one form that writes a draft plan: its own fields, its goals and its
    interventions as rows that add and remove. Bound to `data` after a failed save, so
    every word typed is shown again. `add` ("goals" or "interventions") adds an empty row
    (the way to add one without JavaScript)."""
    kwargs = services.plan_choices(plan.case)
    # Read once; each row's selects share the choices built from them.
    agencies, professionals = ObjectList(kwargs["agencies"]), ObjectList(kwargs["professionals"])
    kwargs = {"agencies": agencies, "professionals": professionals}
    goals = [{"id": g.pk, "text": g.text} for g in plan.goals.all()]
    interventions = [
        {
            "id": i.pk,
            "kind": i.kind,
            "what": i.what,
            "organisation": i.organisation_id and str(i.organisation_id),
            "person": i.person_id and str(i.person_id),
            "starts_on": i.starts_on,
            "ends_on": i.ends_on,
        }
        for i in plan.interventions.all()
    ]
    if data is None:
        initial = {name: getattr(plan, name) for name in services.PLAN_FIELDS}
        # A new plan starts with one empty row of each (blank rows are not saved).
        goal_extra = 1 if add == "goals" or not goals else 0
        intervention_extra = 1 if add == "interventions" or not interventions else 0
        return {
            "plan_form": PlanForm(initial=initial, **kwargs),
            "goal_formset": GoalFormSet(
                prefix="goals", initial=goals, form_kwargs={}, extra=goal_extra
            ),
            "intervention_formset": InterventionFormSet(
                prefix="interventions",
                initial=interventions,
                form_kwargs=kwargs,
                extra=intervention_extra,
            ),
        }
    return {
        "plan_form": PlanForm(data, **kwargs),
        "goal_formset": GoalFormSet(data, prefix="goals"),
        "intervention_formset": InterventionFormSet(
            data, prefix="interventions", form_kwargs=kwargs
        ),
    }


def _plan_page(request, plan, status=200, editor=None):
    case = plan.case
    # The redaction and the family's language both read the guardians: load them once.
    sip_access.guardians_prefetched(case)
    view = access.reveal_case(request, case, kind=Log.Kind.SIP_PLAN)
    # Only a reader who sees every name edits the text: an editor filled from masked text
    # would save "***" over the family's words. The editor reads the plan itself (never
    # changed for display), the page a masked copy from the gate.
    editing = plan.is_draft and may_edit(request.user, case) and may_edit_text(request.user, case)
    if editing and editor is None:
        editor = _plan_editor(plan, add=request.GET.get("add", ""))
    if editing and "edit_version" not in editor:
        editor["edit_version"] = plan.edit_version
    versions = sip_access.plan_versions(case)
    shown = access.display_copy(
        plan, view, PLAN_TEXT, related={"goals": ["text"], "interventions": ["what"]}
    )
    context = {
        "plan": shown,
        "case": view,
        "child_label": view.child_label,
        "may_edit": may_edit(request.user, case),
        "editing": editing,
        "missing": services.plan_missing_parts(plan) if plan.is_draft else [],
        "text_locked": plan.is_draft
        and may_edit(request.user, case)
        and not may_edit_text(request.user, case),
        "versions": versions,
        # The later version, if any: the follow-up is recorded on the plan in force.
        "has_next_version": any(v.previous_id == plan.pk for v in versions),
        # The page shows how many guardians signed and which professionals.
        "signatures": selectors.plan_signatures(plan),
        **(editor or {}),
        "print_form": PrintForm(initial={"language": _family_language(plan)}),
    }
    return render(request, "sip/plan_detail.html", context, status=status)


def _family_language(plan: Plan) -> str:
    meeting = plan.sip_meeting
    if meeting and meeting.interpreter_language:
        return meeting.interpreter_language
    languages = [g.preferred_language for g in plan.case.guardians.all()]
    return next((lang for lang in languages if lang != "sv"), "sv")


@login_required
def plan_detail(request, pk):
    return _plan_page(request, plan_for_user(request.user, pk))


def _editor_errors(editor: dict, exc: ValidationError) -> None:
    """Put the service's errors next to their fields, a row's next to that row's field."""
    rows = {
        "goals": editor["goal_formset"].rows(),
        "interventions": editor["intervention_formset"].rows(),
    }
    formsets = {"goals": editor["goal_formset"], "interventions": editor["intervention_formset"]}
    for key, errors in exc.error_dict.items():
        prefix, _sep, rest = key.partition("-")
        if prefix in rows and rest:
            n, _sep, field = rest.partition("-")
            form = formsets[prefix].forms[rows[prefix][int(n)][0]]
            form.add_error(field, errors)
        else:
            form = editor["plan_form"]
            form.add_error(key if key in form.fields else None, errors)


@login_required
@require_POST
def plan_edit(request, pk):
    """Save the plan editor: everything at once, or nothing and every word kept."""
    plan = plan_for_user(request.user, pk, write=True, text=True)
    data = request.POST
    add = data.get("add", "")
    if add in ("goals", "interventions"):
        # Without JavaScript "Add a goal" posts the editor: one more (empty) row, so the
        # page shown after a failed save has it too.
        data = data.copy()
        total = f"{add}-TOTAL_FORMS"
        if data.get(total, "").isdigit():
            data[total] = str(int(data[total]) + 1)
    edit_version = data.get("edit_version", "")
    editor = _plan_editor(plan, data)
    forms_ = [editor["plan_form"], editor["goal_formset"], editor["intervention_formset"]]
    if all([f.is_valid() for f in forms_]):
        try:
            services.plan_save(
                plan=plan,
                by=request.user,
                fields=editor["plan_form"].cleaned_data,
                goals=[row for _n, row in editor["goal_formset"].rows()],
                interventions=[row for _n, row in editor["intervention_formset"].rows()],
                edit_version=int(edit_version) if edit_version.isdigit() else None,
            )
        except services.PlanEditConflict as exc:
            # Keep every word; the next save is made knowingly over the other version.
            editor["plan_form"].add_error(None, exc.message)
            editor["edit_version"] = exc.current.edit_version
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                exc = ValidationError({"__all__": exc.messages})
            _editor_errors(editor, exc)
        else:
            if add in ("goals", "interventions"):
                # "Add a goal" without JavaScript: saved, and an empty row to fill in.
                messages.success(request, _("The plan is saved. Fill in the new row."))
                return redirect(f"{reverse('sip:plan', args=[plan.pk])}?add={add}#{add}-new")
            messages.success(request, _("The plan is saved."))
            return redirect("sip:plan", plan.pk)
    # After a refused save the page keeps the version the person was writing from.
    editor.setdefault("edit_version", edit_version)
    return _plan_page(request, plan, status=400, editor=editor)


@login_required
def plan_finalise(request, pk):
    """A confirmation step (GET) before the plan is finalised (POST): a finalised plan is
    never changed again."""
    plan = plan_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            services.plan_finalise(plan=plan, by=request.user)
            messages.success(request, _("The plan is finalised. Print it for the family to sign."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("sip:plan", plan.pk)
    if not plan.is_draft:
        return redirect("sip:plan", plan.pk)
    view = access.reveal_case(request, plan.case, kind=Log.Kind.SIP_PLAN)
    context = {
        "plan": plan,
        "case": view,
        "child_label": view.child_label,
        "missing": services.plan_missing_parts(plan),
    }
    return render(request, "sip/plan_finalise.html", context)


@login_required
@require_POST
def plan_revise(request, pk):
    plan = plan_for_user(request.user, pk, write=True)
    try:
        new = services.plan_revise(plan=plan, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("sip:plan", plan.pk)
    messages.success(request, _("A new version is started. The earlier version stays as it was."))
    return redirect("sip:plan", new.pk)


@login_required
@require_POST
def plan_print(request, pk):
    """Ask for the PDF: a background job; the status page shows the link when it is ready."""
    plan = plan_for_user(request.user, pk)
    form = PrintForm(request.POST)
    if plan.is_draft or not form.is_valid():
        messages.error(request, _("Choose a language. Only a finalised plan is printed."))
        return redirect("sip:plan", plan.pk)
    job = jobs.document_job_request(
        kind="sip_plan",
        params={
            "plan_id": plan.pk,
            "language": form.cleaned_data["language"],
            "user_id": request.user.pk,
        },
        requested_by=request.user,
    )
    return redirect("sip:document", plan.pk, job.pk)


def _job_for(request, plan, job_pk) -> DocumentJob:
    job = DocumentJob.objects.filter(
        pk=job_pk, kind="sip_plan", requested_by=request.user, params__plan_id=plan.pk
    ).first()
    if job is None:
        raise Http404
    return job


@login_required
def document_status(request, pk, job_pk):
    plan = plan_for_user(request.user, pk)
    job = _job_for(request, plan, job_pk)
    context = {"plan": plan, "job": job}
    response = render(request, "sip/document_status.html", context)
    if job.status == DocumentJob.Status.QUEUED:
        response["Refresh"] = "2"  # the browser asks again; no script needed
    return response


@login_required
def document_download(request, pk, job_pk):
    plan = plan_for_user(request.user, pk)
    job = _job_for(request, plan, job_pk)
    if job.status != DocumentJob.Status.DONE or not job.result:
        raise Http404
    access.record_shown(request, [plan.case], kind=Log.Kind.SIP_PLAN, action=Log.Action.PRINT)
    language = job.params.get("language", "sv")
    return FileResponse(
        job.result.open("rb"),
        as_attachment=True,
        filename=f"sip-{plan.case_id}-v{plan.version}-{language}.pdf",
        content_type="application/pdf",
    )


@login_required
def signature_register(request, pk):
    plan = plan_for_user(request.user, pk, write=True)
    case = plan.case
    labels = {g.pk: g.label for g in access.guardian_views(case, request.user)}
    guardians = {g.pk: (g, labels[g.pk]) for g in services.guardians_of(case)}
    form = SignatureForm(
        request.POST or None,
        request.FILES or None,
        guardian_labels={pk: label for pk, (_g, label) in guardians.items()},
        professionals=services.professionals_for(case),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data["guardians"] = [guardians[int(pk)][0] for pk in data["guardians"]]
        data["professionals"] = list(data["professionals"])
        result = _apply(
            form,
            lambda: idempotency.once(
                user=request.user,
                token=form.submit_token,
                create=lambda: services.plan_signature_register(plan=plan, by=request.user, **data),
            ),
        )
        if result:
            _created_message(request, result, _("The signed plan is registered."))
            return redirect("sip:plan", plan.pk)
    return _form_page(
        request,
        case=case,
        form=form,
        title=_("Register the signed plan (version %(version)s)") % {"version": plan.version},
        submit=_("Register"),
        back=plan,
        multipart=True,
    )


@login_required
def signature_scan(request, pk, signature_pk):
    plan = plan_for_user(request.user, pk)
    signature = PlanSignature.objects.filter(plan=plan, pk=signature_pk).exclude(scan="").first()
    if signature is None:
        raise Http404
    access.record_shown(request, [plan.case], kind=Log.Kind.SIP_PLAN, action=Log.Action.DOWNLOAD)
    return FileResponse(
        signature.scan.open("rb"),
        as_attachment=True,
        filename=f"sip-{plan.case_id}-v{plan.version}-signed",
        content_type=signature.scan_content_type,
    )


@login_required
def follow_up_new(request, pk):
    plan = plan_for_user(request.user, pk, write=True)
    form = FollowUpForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        result = _apply(
            form,
            lambda: idempotency.once(
                user=request.user,
                token=form.submit_token,
                create=lambda: services.follow_up_record(
                    plan=plan, by=request.user, **form.service_kwargs()
                ),
            ),
        )
        if result:
            _created_message(request, result, _("The follow-up is recorded."))
            return redirect("sip:case", plan.case_id)
    view = access.reveal_case(request, plan.case, kind=Log.Kind.SIP_PLAN)
    context = {
        "plan": plan,
        "case": view,
        # The goals and interventions are the form's labels: masked as the page is.
        "form": access.masked_labels(form, view),
        "child_label": view.child_label,
    }
    return render(request, "sip/follow_up.html", context)
