"""Staff pages of targeted assistance and the public page of published summaries. Thin views: read
through selectors, write through services; a case outside the user's reach answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.admin_mixins import add_service_errors
from accounts.permissions import is_staff_of, may_keep_case_ledger, may_see_assistance_counts
from grids.models import Community

from . import selectors, services, statement
from .forms import CaseForm, EntryForm, MilestoneForm, ReverseForm
from .models import Case

PAGE_SIZE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@login_required
def case_list(request):
    """The cases a user may see (staff of the community, people assigned); officials read counts only."""
    page = Paginator(selectors.case_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = list(selectors.case_counts(request.user)) if may_see_assistance_counts(request.user) else []
    may_open = request.user.is_superuser or bool(request.user.scope.writable_community_ids)
    context = {"page": page, "counts": counts, "may_open": may_open}
    return render(request, "assistance/case_list.html", context)


def _detail(request, case, *, entry_form=None, milestone_form=None, status=200):
    entries, balance = selectors.ledger(case)
    return render(
        request,
        "assistance/case_detail.html",
        {
            "case": case,
            "entries": entries,
            "balance": balance,
            "pending": [e for e in entries if e.confirmed_at is None],
            "staff": is_staff_of(request.user, case.community_id),
            "keeps_ledger": may_keep_case_ledger(request.user, case),
            "entry_form": entry_form or EntryForm(prefix="entry"),
            "milestone_form": milestone_form or MilestoneForm(prefix="milestone"),
            "reverse_form": ReverseForm(prefix="reverse"),
            **selectors.case_detail(case),
        },
        status=status,
    )


@login_required
def case_detail(request, pk):
    case = selectors.access_case(request.user, pk)
    if request.method != "POST":
        return _detail(request, case)
    if "entry-amount" in request.POST:
        response, form = record_entry(request, case, back="assistance:detail")
        return response or _detail(request, case, entry_form=form, status=400)
    form = MilestoneForm(request.POST, prefix="milestone")
    if form.is_valid():
        try:
            services.milestone_add(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The milestone is added."))
            return redirect("assistance:detail", pk=case.pk)
    return _detail(request, case, milestone_form=form, status=400)


@login_required
def case_edit(request, pk=None):
    """Open a case or change one: staff of the case's community only (others get 404 or 403)."""
    if pk is None:
        if not (request.user.is_superuser or request.user.scope.writable_community_ids):
            raise PermissionDenied
        case = Case()
    else:
        case = selectors.access_case(request.user, pk)
        if not is_staff_of(request.user, case.community_id):
            raise PermissionDenied
    form = CaseForm(request.POST if request.method == "POST" else None, instance=case, user=request.user)
    if form.is_bound and form.is_valid():
        case = form.save(commit=False)
        case.household, case.resident = form.household, form.resident
        try:
            services.case_save(
                case=case,
                milestones=form.milestone_titles(),
                visits=form.cleaned_data.get("visits"),
                petitions=form.petitions,
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The case is saved."))
            return redirect("assistance:detail", pk=case.pk)
    return render(
        request,
        "assistance/case_form.html",
        {"form": form, "case": case if case.pk else None},
        status=400 if form.is_bound else 200,
    )


def run_service(request, action, success):
    """Call one service; its refusal becomes the page's error messages (PermissionDenied stays a 403)."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)


# The ledger's actions, shared by the staff page and the phone page (dashboard.assistance_views): each
# goes back to the case on the page named by `back`.


def record_entry(request, case, *, back):
    """The record form's POST: (a redirect to `back`, form) once recorded, else (None, the bound form with
    its errors)."""
    form = EntryForm(request.POST, prefix="entry")
    if form.is_valid():
        try:
            services.entry_record(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The entry is recorded; another person must confirm it."))
            return redirect(back, pk=case.pk), form
    return None, form


def confirm_entry(request, pk, *, back):
    entry = selectors.access_entry(request.user, pk)
    run_service(
        request,
        lambda: services.entry_confirm(entry=entry, by=request.user),
        _("The entry is confirmed and counts in the balance."),
    )
    return redirect(back, pk=entry.case_id)


def reverse_entry(request, pk, *, back):
    entry = selectors.access_entry(request.user, pk)
    form = ReverseForm(request.POST, prefix="reverse")
    if not form.is_valid():
        messages.error(request, _("Say why the entry is reversed."))
    else:
        run_service(
            request,
            lambda: services.entry_reverse(entry=entry, note=form.cleaned_data["note"], by=request.user),
            _("A reversing entry is recorded; another person must confirm it."),
        )
    return redirect(back, pk=entry.case_id)


@require_POST
@login_required
def entry_confirm(request, pk):
    return confirm_entry(request, pk, back="assistance:detail")


@require_POST
@login_required
def entry_reverse(request, pk):
    return reverse_entry(request, pk, back="assistance:detail")


@require_POST
@login_required
def milestone_toggle(request, pk):
    milestone = selectors.access_milestone(request.user, pk)
    run_service(
        request,
        lambda: services.milestone_set_done(
            milestone=milestone, done=milestone.done_on is None, by=request.user
        ),
        _("Saved."),
    )
    return redirect("assistance:detail", pk=milestone.case_id)


@require_GET
@login_required
def case_statement(request, pk):
    case = selectors.access_case(request.user, pk)
    if not may_keep_case_ledger(request.user, case):
        raise PermissionDenied
    response = HttpResponse(statement.statement_xlsx(case), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="assistance-{case.pk}-statement.xlsx"'
    return response


@require_GET
def public_summaries(request, community_pk):
    """What a community publishes about its assistance work: summaries without names."""
    community = get_object_or_404(Community.objects.select_related("street"), pk=community_pk)
    page = Paginator(selectors.public_summaries(community), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assistance/public.html", {"community": community, "page": page})
