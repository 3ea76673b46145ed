import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from teams.models import User

from . import selectors
from .forms import LogFilterForm, ReviewForm
from .models import AccessReview


def _reviewable(request):
    entries = selectors.log_reviewable_by(request.user)
    if entries is None:
        raise PermissionDenied
    return entries


def _filtered(request, entries):
    users = User.objects.filter(pk__in=entries.values("user")).order_by("full_name")
    form = LogFilterForm(request.GET or None, users=users)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        entries = selectors.log_filter(
            entries,
            user=data["user"],
            child_id=data["personal_number"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            action=data["action"],
        )
    return form, entries.select_related("user", "user_organisation")


@login_required
def log_list(request):
    form, entries = _filtered(request, _reviewable(request))
    sample = request.GET.get("sample") == "1"
    if sample:
        # A random sample for review (loggkontroll), drawn from the filtered rows.
        entries = entries.order_by("?")[:10]
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    numbers = selectors.child_numbers(page)
    rows = [(entry, numbers.get(entry.child_id, "–")) for entry in page]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sample", None)
    return render(
        request,
        "audit/log_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "sample": sample,
            "query": query.urlencode(),
        },
    )


@login_required
def log_export(request):
    _form, entries = _filtered(request, _reviewable(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="atkomstlogg.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["at", "user", "organisation", "role", "child", "case", "data", "action", "ip", "context"]
    )
    for chunk in _chunks(entries.iterator(chunk_size=2000), 2000):
        numbers = selectors.child_numbers(chunk)
        for e in chunk:
            writer.writerow(
                [
                    timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                    e.user.email,
                    e.user_organisation or "",
                    e.user_role,
                    numbers.get(e.child_id, "–"),
                    e.case_id or "",
                    e.kind,
                    e.action,
                    e.ip_address or "",
                    e.context,
                ]
            )
    return response


def _chunks(rows, size):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@login_required
def log_entry(request, pk):
    entry = get_object_or_404(
        _reviewable(request).select_related("user", "user_organisation"), pk=pk
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        AccessReview.objects.create(entry=entry, reviewer=request.user, **form.cleaned_data)
        messages.success(request, _("Your review is recorded."))
        return redirect("audit:entry", entry.pk)
    reviews = entry.reviews.select_related("reviewer")
    context = {
        "entry": entry,
        "number": selectors.child_numbers([entry]).get(entry.child_id, "–"),
        "form": form,
        "reviews": reviews,
    }
    return render(request, "audit/log_entry.html", context)
