"""The phone pages of targeted assistance for the people on a case (the companion, the other people
assigned) and community staff: their cases, a case's plan and milestones (marked reached with a note), the
linked visits and requests, and the cash ledger (record an entry; a different person confirms it).
Read through assistance.selectors (a case outside the user's reach answers 404), write through
assistance.services, so the two-person rule and its messages are the staff pages' own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import may_keep_case_ledger
from assistance import selectors, services
from assistance import views as ledger
from assistance.forms import EntryForm, MilestoneDoneForm

PAGE_SIZE = 20
BACK = "dashboard:assistance_case"


@login_required
def case_list(request):
    """The cases the user may follow. Queries: session, user, roles, count, the bell, the page (one join)."""
    page = Paginator(selectors.case_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboard/assistance_list.html",
        {"page": page, "page_base": reverse("dashboard:assistance")},
    )


def _case_page(request, case, *, entry_form=None, status=200):
    entries, balance = selectors.ledger(case)
    return render(
        request,
        "dashboard/assistance_detail.html",
        {
            "case": case,
            "entries": entries[::-1],  # newest first on a phone; `balance_after` is kept per entry
            "balance": balance,
            "pending_count": sum(1 for e in entries if e.confirmed_at is None),
            "keeps_ledger": may_keep_case_ledger(request.user, case),
            "entry_form": entry_form or EntryForm(prefix="entry"),
            **selectors.case_detail(case),
        },
        status=status,
    )


@login_required
def case_detail(request, pk):
    """The case; a POST records cash in or out (it counts once another person confirms it)."""
    case = selectors.access_case(request.user, pk)
    if request.method != "POST":
        return _case_page(request, case)
    response, form = ledger.record_entry(request, case, back=BACK)
    return response or _case_page(request, case, entry_form=form, status=400)


@require_POST
@login_required
def entry_confirm(request, pk):
    return ledger.confirm_entry(request, pk, back=BACK)


@require_POST
@login_required
def entry_reverse(request, pk):
    return ledger.reverse_entry(request, pk, back=BACK)


@require_POST
@login_required
def milestone_done(request, pk):
    """Mark a milestone reached, with a note of how; a second POST with `undo` marks it not reached."""
    milestone = selectors.access_milestone(request.user, pk)
    form = MilestoneDoneForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(BACK, pk=milestone.case_id)
    ledger.run_service(
        request,
        lambda: services.milestone_set_done(
            milestone=milestone,
            done="undo" not in request.POST,
            note=form.cleaned_data["note"],
            by=request.user,
        ),
        _("Saved."),
    )
    return redirect(BACK, pk=milestone.case_id)
