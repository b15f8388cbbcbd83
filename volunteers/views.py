"""HTML pages: the volunteer's and the merchant's phone pages, the leader's activity page, staff lists
and exports. Thin: parse, call one service, render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import is_staff_of, may_reveal
from accounts.roles import Role
from grids.models import Community, Resident
from grids.pii import carries_clear_value

from . import documents, selectors, services
from .forms import (
    ActivityForm,
    AwardForm,
    CorrectionForm,
    ExportReasonForm,
    HoursForm,
    InspectionForm,
    MonthForm,
    OfferForm,
    PastAttendanceForm,
    RedeemForm,
    RegisterForm,
    TopUpForm,
)
from .models import Account, Activity, Coupon, HourRecord, Merchant, Offer, PartyPointRecord, SignUp, Team

PAGE_SIZE = 20


def _error(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


def _back_to(request, activity):
    """After a sign-up or a check-in: back to the page it came from (the list, linked from the dashboard),
    if that page is ours, else to the activity."""
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect("volunteers:activity", pk=activity.pk)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _community_id(user):
    return user.community_id or next(iter(user.scope.all_community_ids), None)


# --- Volunteer ------------------------------------------------------------------------------------


@login_required
def home(request):
    profile = selectors.profile_of(request.user)
    if request.method == "POST" and profile is None:
        form = RegisterForm(request.POST)
        community_id = _community_id(request.user)
        if form.is_valid() and community_id:
            try:
                services.volunteer_register(
                    user=request.user,
                    resident=Resident.objects.filter(user=request.user).first(),
                    community=Community.objects.get(pk=community_id),
                    by=request.user,
                    **form.cleaned_data,
                )
                messages.success(request, _("Welcome! You are now a registered volunteer."))
                return redirect("volunteers:home")
            except ValidationError as exc:
                _error(request, exc)
    activities = _page(
        request,
        Activity.objects.visible_to(request.user)
        .upcoming(timezone.now() - datetime.timedelta(hours=12))
        .select_related("team"),
    )
    mine = set()
    if profile:
        mine = set(
            SignUp.objects.filter(
                volunteer=profile, status=SignUp.Status.ACTIVE, activity__in=[a.pk for a in activities]
            ).values_list("activity_id", flat=True)
        )
    community_id = profile.community_id if profile else _community_id(request.user)
    party_points = None
    if request.user.has_role(Role.PARTY_MEMBER):
        party_points = sum(
            PartyPointRecord.objects.filter(member=request.user).values_list("points", flat=True)
        )
    return render(
        request,
        "volunteers/home.html",
        {
            "profile": profile,
            "register_form": RegisterForm(),
            "activities": activities,
            "mine": mine,
            "balance": selectors.balance_of(request.user, community_id),
            "party_points": party_points,
            "teams": Team.objects.visible_to(request.user).filter(leader=request.user),
        },
    )


@login_required
def activity_detail(request, pk):
    activity = selectors.access_activity(request.user, pk)
    profile = selectors.profile_of(request.user)
    is_leader = activity.team.leader_id == request.user.pk
    context = {"activity": activity, "profile": profile, "is_leader": is_leader}
    if profile:
        context["signed_up"] = activity.signups.filter(
            volunteer=profile, status=SignUp.Status.ACTIVE
        ).exists()
        context["my_attendance"] = activity.attendances.filter(volunteer=profile).first()
    if is_leader or is_staff_of(request.user, activity.team.community_id):
        signups = activity.signups.filter(status=SignUp.Status.ACTIVE).select_related("volunteer__user")
        attendance = {a.volunteer_id: a for a in activity.attendances.all()}
        context["roster"] = [(s, attendance.get(s.volunteer_id)) for s in signups]
        context["records"] = activity.hour_records.select_related("volunteer__user", "confirmed_by")
        if activity.recorded_afterwards:
            context["past_form"] = PastAttendanceForm(team=activity.team)
    return render(request, "volunteers/activity.html", context)


@login_required
@require_POST
def activity_sign_up(request, pk):
    activity = selectors.access_activity(request.user, pk)
    profile = selectors.profile_of(request.user)
    try:
        if profile is None:
            raise ValidationError(_("Register as a volunteer first."))
        if request.POST.get("action") == "cancel":
            services.activity_cancel_sign_up(activity=activity, volunteer=profile, by=request.user)
            messages.success(request, _("Your sign-up is cancelled."))
        else:
            services.activity_sign_up(activity=activity, volunteer=profile, by=request.user)
            messages.success(request, _("You have signed up."))
    except ValidationError as exc:
        _error(request, exc)
    return _back_to(request, activity)


@login_required
def activity_qr(request, pk):
    """The rotating check-in code the leader shows on their phone. The page reloads itself (no JavaScript)."""
    activity = selectors.access_activity(request.user, pk)
    if not (
        activity.team.leader_id == request.user.pk or is_staff_of(request.user, activity.team.community_id)
    ):
        raise Http404
    url = request.build_absolute_uri(reverse("volunteers:checkin", args=[services.checkin_token(activity)]))
    return render(
        request,
        "volunteers/activity_qr.html",
        {
            "activity": activity,
            "url": url,
            "qr": documents.qr_svg(url),
            "refresh": services.CHECKIN_ROTATE_SECONDS,
        },
    )


@login_required
def checkin(request, token):
    """Where the activity's QR code leads: check in, or check out when already on site."""
    try:
        activity = services.checkin_token_activity(token)
    except (ValidationError, Activity.DoesNotExist) as exc:
        messages.error(
            request,
            exc.messages[0] if isinstance(exc, ValidationError) else _("This check-in code is not valid."),
        )
        return render(request, "volunteers/checkin.html", {"activity": None}, status=400)
    if request.method == "POST":
        try:
            attendance = services.attendance_scan(token=token, by=request.user)
            if attendance.checked_out_at:
                messages.success(
                    request, _("Checked out. Your hours wait for the team leader's confirmation.")
                )
            else:
                messages.success(request, _("Checked in. Scan again when you leave."))
            return redirect("volunteers:activity", pk=activity.pk)
        except ValidationError as exc:
            _error(request, exc)
    return render(request, "volunteers/checkin.html", {"activity": activity, "token": token})


@login_required
@require_POST
def attendance_mark(request, pk):
    """The leader checks a volunteer in or out (for volunteers without a smartphone)."""
    activity = selectors.access_activity(request.user, pk)
    signup = (
        activity.signups.filter(pk=request.POST.get("signup") or 0, status=SignUp.Status.ACTIVE)
        .select_related("volunteer")
        .first()
    )
    try:
        if signup is None:
            raise ValidationError(_("Choose a volunteer who signed up."))
        open_attendance = activity.attendances.filter(
            volunteer=signup.volunteer, checked_out_at__isnull=True
        ).first()
        if open_attendance:
            services.attendance_check_out(attendance=open_attendance, by=request.user)
            messages.success(request, _("Checked out."))
        else:
            services.attendance_check_in(activity=activity, volunteer=signup.volunteer, by=request.user)
            messages.success(request, _("Checked in."))
    except ValidationError as exc:
        _error(request, exc)
    return _back_to(request, activity)


@login_required
@require_POST
def attendance_record_afterwards(request, pk):
    """The leader or staff enter a past activity's attendance from its sign-in sheet."""
    activity = selectors.access_activity(request.user, pk)
    form = PastAttendanceForm(request.POST, team=activity.team)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a team member and enter both times."))
        services.attendance_record_afterwards(activity=activity, by=request.user, **form.cleaned_data)
        messages.success(request, _("Attendance recorded; confirm the hours below."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect("volunteers:activity", pk=activity.pk)


@login_required
@require_POST
def hours_confirm(request, pk):
    record = selectors.access_hour_record(request.user, pk)
    form = HoursForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Enter the hours as a number."))
        services.hours_confirm(record=record, by=request.user, hours=form.cleaned_data["hours"])
        messages.success(request, _("Hours confirmed."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect("volunteers:activity", pk=record.activity_id)


@login_required
@require_POST
def hours_correct(request, pk):
    record = selectors.access_hour_record(request.user, pk)
    form = CorrectionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Enter the hours and the reason."))
        services.hours_correct(record=record, by=request.user, **form.cleaned_data)
        messages.success(request, _("Hours corrected; the earlier record is kept."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect("volunteers:activity", pk=record.activity_id)


@login_required
def certificate(request):
    profile = selectors.profile_of(request.user)
    if profile is None:
        raise Http404
    records = (
        HourRecord.objects.filter(
            volunteer=profile, status=HourRecord.Status.CONFIRMED, kind=HourRecord.Kind.SERVICE
        )
        .select_related("activity")
        .order_by("started_at")
    )
    response = HttpResponse(documents.certificate_pdf(profile, records), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="volunteer-certificate.pdf"'
    return response


def _staff_records(user):
    """Staff (and officials, read-only) see the hours of the communities they hold whole."""
    if not user.scope.community_ids and not user.is_superuser:
        raise Http404
    records = HourRecord.objects.visible_to(user)
    return records if user.is_superuser else records.filter(volunteer__community__in=user.scope.community_ids)


@login_required
def staff_hours(request):
    """The hours ledger for staff: every record, reversals and corrections included."""
    records = _page(
        request,
        _staff_records(request.user)
        .select_related("volunteer__user", "activity__team", "confirmed_by")
        .order_by("-proposed_at", "-pk"),
    )
    return render(
        request,
        "volunteers/staff_hours.html",
        {"records": records, "export_form": ExportReasonForm() if may_reveal(request.user) else None},
    )


def _exported_records(user):
    return (
        _staff_records(user)
        .filter(status=HourRecord.Status.CONFIRMED, kind=HourRecord.Kind.SERVICE)
        .select_related("volunteer__user", "volunteer__resident", "volunteer__community", "activity")
        .order_by("started_at", "pk")
    )


def _xlsx_response(content, filename):
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def staff_hours_export(request):
    """The hours ledger for the national system, ID numbers and phones masked."""
    return _xlsx_response(documents.hours_xlsx(_exported_records(request.user)), "volunteer-hours.xlsx")


@carries_clear_value
@login_required
@require_POST
def staff_hours_export_audited(request):
    """The same sheet with clear ID numbers and phones, which the national system's import needs: for
    roles that may reveal, with a reason; logged before it is handed out."""
    records = list(_exported_records(request.user))
    form = ExportReasonForm(request.POST)
    if form.is_valid():
        communities = {record.volunteer.community for record in records} or Community.objects.filter(
            pk__in=request.user.scope.community_ids
        )
        try:
            services.hours_export_audited(
                by=request.user,
                reason=form.cleaned_data["reason"],
                communities=sorted(communities, key=lambda community: community.pk),
                row_count=len(records),
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            return _xlsx_response(documents.hours_xlsx(records, reveal=True), "volunteer-hours-national.xlsx")
    else:
        messages.error(request, _("Say why you need the ID numbers and phones (2 to 200 characters)."))
    return redirect("volunteers:staff_hours")


# --- Offers and coupons ---------------------------------------------------------------------------


@login_required
def offers(request):
    page = _page(
        request,
        Offer.objects.visible_to(request.user).available(timezone.now()).select_related("merchant"),
    )
    community_id = _community_id(request.user)
    coupons = (
        Coupon.objects.filter(holder=request.user)
        .select_related("offer__merchant")
        .order_by("-issued_at")[:20]
    )
    return render(
        request,
        "volunteers/offers.html",
        {"offers": page, "coupons": coupons, "balance": selectors.balance_of(request.user, community_id)},
    )


@login_required
@require_POST
def offer_take(request, pk):
    offer = selectors.access_offer(request.user, pk)
    try:
        coupon = services.coupon_take(offer=offer, by=request.user)
        messages.success(request, _("Coupon taken. Show its code at the shop."))
        return redirect("volunteers:coupon", token=coupon.token)
    except ValidationError as exc:
        _error(request, exc)
    return redirect("volunteers:offers")


@login_required
def coupon_detail(request, token):
    coupon = selectors.access_coupon_by_token(request.user, token)
    url = request.build_absolute_uri(reverse("volunteers:redeem", args=[coupon.token]))
    return render(
        request,
        "volunteers/coupon.html",
        {"coupon": coupon, "qr": documents.qr_svg(url), "url": url, "now": timezone.now()},
    )


# --- Merchants ------------------------------------------------------------------------------------


@login_required
def merchant_home(request):
    """The shop owner's phone page: redeem a coupon, recent redemptions, this month's statement."""
    shops = list(Merchant.objects.filter(owner=request.user))
    if not shops:
        raise Http404
    today = timezone.localdate()
    rows = [
        {
            "shop": shop,
            "statement": selectors.merchant_statement(shop, today),
            "rating": selectors.merchant_rating(shop, today),
        }
        for shop in shops
    ]
    recent = (
        Coupon.objects.filter(offer__merchant__in=shops, status=Coupon.Status.REDEEMED)
        .select_related("offer")
        .order_by("-redeemed_at")[:20]
    )
    return render(
        request, "volunteers/merchant_home.html", {"rows": rows, "recent": recent, "form": RedeemForm()}
    )


@login_required
def redeem(request, token=""):  # nosec B107 # a coupon token from the URL, not a password
    """Where a coupon's QR code leads: the shop (or staff, for points shop goods) enters the bill and redeems."""
    form = RedeemForm(request.POST or None, initial={"token": token})
    coupon = (
        Coupon.objects.visible_to(request.user)
        .select_related("offer__merchant")
        .filter(token=token[:64])
        .first()
        if token
        else None
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                redeemed = services.coupon_redeem(
                    token=form.cleaned_data["token"],
                    by=request.user,
                    bill_amount=form.cleaned_data["bill_amount"],
                )
                messages.success(request, _("Redeemed: %(title)s.") % {"title": redeemed.offer.title})
                return redirect(
                    "volunteers:merchant_home" if redeemed.offer.merchant_id else "volunteers:redeem_form"
                )
            except ValidationError as exc:
                _error(request, exc)
        else:
            messages.error(request, _("Check the coupon code and the bill amount."))
    return render(
        request,
        "volunteers/redeem.html",
        {"form": form, "coupon": coupon},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def merchant_statement(request, pk):
    merchant = selectors.access_merchant(request.user, pk)
    if not (merchant.owner_id == request.user.pk or request.user.scope.sees_registry):
        raise Http404
    form = MonthForm(request.GET)
    month = (form.is_valid() and form.cleaned_data["month"]) or timezone.localdate()
    return render(
        request,
        "volunteers/statement.html",
        {
            "merchant": merchant,
            "statement": selectors.merchant_statement(merchant, month),
            "rating": selectors.merchant_rating(merchant, month),
        },
    )


@login_required
def merchant_inspect(request, pk):
    merchant = selectors.access_merchant(request.user, pk)
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.duty_inspection_record(
                merchant=merchant, month=timezone.localdate(), by=request.user, **form.cleaned_data
            )
            messages.success(request, _("Inspection recorded."))
            return redirect("volunteers:merchant_inspect", pk=merchant.pk)
        except ValidationError as exc:
            _error(request, exc)
    return render(
        request,
        "volunteers/inspect.html",
        {
            "merchant": merchant,
            "form": form,
            "rating": selectors.merchant_rating(merchant, timezone.localdate()),
        },
    )


@login_required
def merchant_list(request):
    """Alliance shops for staff and grid leaders, with masked phones; shops that left or never joined the
    alliance are not on it. The total is the paginator's count (no extra query)."""
    if not (request.user.scope.sees_registry or request.user.is_superuser):
        raise Http404
    shops = Merchant.objects.visible_to(request.user).in_alliance().select_related("community", "area")
    page = _page(request, shops.order_by("shop_name", "pk"))
    return render(request, "volunteers/merchant_list.html", {"merchants": page})


@login_required
def activity_new(request, team_pk):
    """The team leader publishes an activity from their phone."""
    team = Team.objects.visible_to(request.user).filter(pk=team_pk).first()
    if team is None or not (
        team.leader_id == request.user.pk or is_staff_of(request.user, team.community_id)
    ):
        raise Http404
    form = ActivityForm(request.POST or None, may_record_past=is_staff_of(request.user, team.community_id))
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(team=team, by=request.user, **form.cleaned_data)
            messages.success(request, _("Activity published."))
            return redirect("volunteers:activity", pk=activity.pk)
        except ValidationError as exc:
            _error(request, exc)
    return render(request, "volunteers/activity_form.html", {"team": team, "form": form})


@login_required
def staff_award(request):
    """Staff award points for an approved action by one of their rules (pool → person)."""
    if not request.user.scope.writable_community_ids:
        raise Http404
    form = AwardForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            award = services.points_award_action(
                rule=form.cleaned_data["rule"],
                user=form.cleaned_data["volunteer"].user,
                memo=form.cleaned_data["memo"],
                by=request.user,
            )
            if award.status == award.Status.PENDING:
                messages.success(request, _("The award waits for a second staff member's approval."))
            else:
                messages.success(request, _("Points awarded."))
            return redirect("volunteers:staff_award")
        except ValidationError as exc:
            _error(request, exc)
    return render(request, "volunteers/staff_award.html", {"form": form})


@login_required
def staff_awards(request):
    """The audit list of every award (who asked, who approved, for whom), with the pending ones to decide and
    the form that records a funded top-up of the pool."""
    if not request.user.scope.writable_community_ids and not request.user.scope.community_ids:
        raise Http404
    top_up = TopUpForm(request.POST or None, user=request.user)
    if request.method == "POST" and top_up.is_valid():
        try:
            services.points_top_up(by=request.user, **top_up.cleaned_data)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Top-up recorded."))
            return redirect("volunteers:staff_awards")
    pools = (
        Account.objects.visible_to(request.user).filter(kind=Account.Kind.POOL).select_related("community")
    )
    ctx = {
        "awards": _page(request, selectors.awards_for_audit(request.user)),
        "top_up": top_up if request.user.scope.writable_community_ids else None,
        "pools": pools,
    }
    return render(request, "volunteers/staff_awards.html", ctx)


@login_required
@require_POST
def staff_award_decide(request, pk):
    award = selectors.access_award(request.user, pk)
    try:
        services.points_award_decide(award=award, approve=request.POST.get("approve") == "1", by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("volunteers:staff_awards")


@login_required
def merchant_offer_new(request, pk):
    """A shop of the alliance publishes a love coupon from its phone page."""
    merchant = selectors.access_merchant(request.user, pk)
    if merchant.owner_id != request.user.pk:
        raise Http404
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_create(
                community=merchant.community, merchant=merchant, by=request.user, **form.cleaned_data
            )
            messages.success(request, _("Love coupon published."))
            return redirect("volunteers:merchant_home")
        except ValidationError as exc:
            _error(request, exc)
    return render(request, "volunteers/offer_form.html", {"merchant": merchant, "form": form})
