"""Deliberation pages: staff and meeting hosts on the phone (login), and the public call, attendance and
disclosure pages. Thin views: read through `selectors`, map input through `inputs`, write through `services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.admin_mixins import add_service_errors
from accounts.permissions import is_staff_of, may_run_meeting, may_start_deliberation
from accounts.scoping import get_in_scope_or_404
from config.media import private_file_response
from config.qr import qr_svg
from grids.models import Community
from petitions import antispam
from petitions.inputs import petitions_from_codes
from visits.selectors import access_visit

from . import inputs, selectors, services
from .forms import (
    AnswerForm,
    AttendForm,
    FileForm,
    MeetingForm,
    MinutesForm,
    OpenProjectForm,
    TaskForm,
    TickForm,
    TopicForm,
    VotingRuleForm,
)
from .models import Meeting, Stage, VotingRule


def _error(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


# --- Topics -------------------------------------------------------------------------------------------


@require_GET
@login_required
def topic_list(request):
    stage = request.GET.get("stage", "")
    page = selectors.topic_list(request.user, stage=stage, page=request.GET.get("page"))
    return render(
        request,
        "deliberation/topic_list.html",
        {
            "page": page,
            "stage": stage,
            "stages": Stage.choices,
            "may_create": may_start_deliberation(request.user),
        },
    )


@login_required
def topic_new(request):
    if not may_start_deliberation(request.user):
        raise Http404
    initial = {"petition_codes": request.GET.get("petition", "")[:40]}
    # From a visit: the diary it comes from, in the user's patch (else 404).
    visit_pk = request.POST.get("visit") or request.GET.get("visit")
    visit = access_visit(request.user, visit_pk) if visit_pk else None
    form = TopicForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            petitions = petitions_from_codes(request.user, form.cleaned_data["petition_codes"])
            topic = form.save(commit=False)
            topic.visit = visit
            topic = services.topic_save(topic=topic, petitions=petitions, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The topic is created."))
            return redirect("deliberation:topic", pk=topic.pk)
    return render(request, "deliberation/topic_form.html", {"form": form, "visit": visit})


def _editable_topic(request, pk):
    topic = selectors.access_topic(request.user, pk)
    if not is_staff_of(request.user, topic.community_id):
        raise Http404
    return topic


@login_required
def topic_edit(request, pk):
    """Title, description, area, and more requests linked (each gets "taken to deliberation")."""
    topic = _editable_topic(request, pk)
    form = TopicForm(request.POST or None, instance=topic, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            petitions = petitions_from_codes(request.user, form.cleaned_data["petition_codes"])
            services.topic_save(topic=form.save(commit=False), petitions=petitions, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The topic is saved."))
            return redirect("deliberation:topic", pk=topic.pk)
    return render(request, "deliberation/topic_form.html", {"form": form, "topic": topic})


@login_required
def voting_rule_edit(request, community_pk):
    """The quorum and majority of a community's residents' meetings (its staff only)."""
    community = get_in_scope_or_404(Community.objects.editable_by(request.user), community_pk)
    if not is_staff_of(request.user, community.pk):
        raise Http404
    rule = VotingRule.objects.filter(community=community).first() or VotingRule(community=community)
    form = VotingRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.voting_rule_save(rule=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The voting rule is saved."))
            return redirect("deliberation:voting_rule", community_pk=community.pk)
    return render(request, "deliberation/voting_rule_form.html", {"form": form, "community": community})


@require_GET
@login_required
def topic_detail(request, pk):
    topic = selectors.access_topic(request.user, pk)
    call_url = request.build_absolute_uri(reverse("deliberation:call", args=[topic.call_token]))
    context = {
        "topic": topic,
        **selectors.topic_detail(topic),
        "may_edit": is_staff_of(request.user, topic.community_id),
        "next_label": Stage(topic.next_stage).label if topic.next_stage else "",
        "call_url": call_url,
        "call_qr": qr_svg(call_url) if topic.stage == Stage.SOLICITING else "",
        "task_form": TaskForm(user=request.user),
        "project_form": OpenProjectForm(community_id=topic.community_id),
        "meeting_choices": Meeting.objects.visible_to(request.user).filter(topics=topic),
    }
    return render(request, "deliberation/topic_detail.html", context)


def _take_step(request, topic, stage, **extra):
    try:
        kwargs = inputs.step_kwargs(request.user, topic, stage, request.POST)
        kwargs.update(extra)
        services.topic_step(topic=topic, stage=stage, by=request.user, **kwargs)
    except ValidationError as exc:
        _error(request, exc)
        return False
    messages.success(request, _("Recorded: %(step)s.") % {"step": Stage(stage).label})
    return True


@require_POST
@login_required
def topic_step(request, pk, stage):
    topic = selectors.access_topic(request.user, pk)
    if stage not in Stage.values:
        raise Http404
    _take_step(request, topic, stage)
    return redirect("deliberation:topic", pk=topic.pk)


@require_POST
@login_required
def task_new(request, pk):
    topic = selectors.access_topic(request.user, pk)
    form = TaskForm(request.POST, user=request.user)
    if form.is_valid():
        task = form.save(commit=False)
        task.topic = topic
        try:
            services.task_save(task=task, by=request.user)
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The task is added."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("deliberation:topic", pk=topic.pk)


@require_POST
@login_required
def topic_open_project(request, pk):
    """Carry a published resolution out as a party-building project, then open it in the ledger."""
    topic = selectors.access_topic(request.user, pk)
    form = OpenProjectForm(request.POST, community_id=topic.community_id)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("deliberation:topic", pk=topic.pk)
    try:
        project = services.topic_open_project(topic=topic, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _error(request, exc)
        return redirect("deliberation:topic", pk=topic.pk)
    messages.success(request, _("The project carrying out the resolution is opened."))
    return redirect("projects:detail", pk=project.pk)


@require_POST
@login_required
def task_done(request, pk):
    task = selectors.access_task(request.user, pk)
    try:
        services.task_done(task=task, note=request.POST.get("note", ""), by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The task is done."))
    return redirect("deliberation:topic", pk=task.topic_id)


@require_GET
@login_required
def task_list(request):
    page = selectors.task_list(request.user, page=request.GET.get("page"))
    return render(request, "deliberation/task_list.html", {"page": page})


# --- Meetings -----------------------------------------------------------------------------------------


@require_GET
@login_required
def meeting_list(request):
    page = selectors.meeting_list(request.user, page=request.GET.get("page"))
    return render(
        request,
        "deliberation/meeting_list.html",
        {"page": page, "may_create": may_start_deliberation(request.user)},
    )


@login_required
def meeting_new(request):
    if not may_start_deliberation(request.user):
        raise Http404
    form = MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_save(
                meeting=form.save(commit=False), topics=form.cleaned_data["topics"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting is recorded."))
            return redirect("deliberation:meeting", pk=meeting.pk)
    return render(request, "deliberation/meeting_form.html", {"form": form})


@login_required
def meeting_edit(request, pk):
    """Date, place, host, agenda and invited parties; the agenda only of the meeting's community."""
    meeting = selectors.access_meeting(request.user, pk)
    if not is_staff_of(request.user, meeting.community_id):
        raise Http404
    form = MeetingForm(request.POST or None, instance=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_save(
                meeting=form.save(commit=False), topics=form.cleaned_data["topics"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("deliberation:meeting", pk=meeting.pk)
    return render(request, "deliberation/meeting_form.html", {"form": form, "meeting": meeting})


def _runnable_meeting(request, pk):
    meeting = selectors.access_meeting(request.user, pk)
    if not may_run_meeting(request.user, meeting):
        raise Http404
    return meeting


@require_GET
@login_required
def meeting_detail(request, pk):
    meeting = selectors.access_meeting(request.user, pk)
    context = {
        "meeting": meeting,
        **selectors.meeting_detail(meeting),
        "may_run": may_run_meeting(request.user, meeting),
        "may_edit": is_staff_of(request.user, meeting.community_id),
        "roster": selectors.meeting_roster(meeting),
        "tick_form": TickForm(),
        "minutes_form": MinutesForm(
            initial={"minutes": meeting.minutes, "internal": meeting.minutes_internal}
        ),
        "file_form": FileForm(),
    }
    return render(request, "deliberation/meeting_detail.html", context)


@require_GET
@login_required
def meeting_qr(request, pk):
    """The attendance code the host shows on the phone; attendees scan it with theirs."""
    meeting = _runnable_meeting(request, pk)
    url = request.build_absolute_uri(reverse("deliberation:attend", args=[meeting.attendance_token]))
    count = meeting.attendances.count()
    return render(
        request,
        "deliberation/meeting_qr.html",
        {"meeting": meeting, "url": url, "qr": qr_svg(url), "count": count},
    )


@require_POST
@login_required
def meeting_tick(request, pk):
    meeting = _runnable_meeting(request, pk)
    form = TickForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        attendance = services.attendance_tick(meeting=meeting, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("%(name)s is marked present.") % {"name": attendance.name})
    return redirect("deliberation:meeting", pk=meeting.pk)


@require_POST
@login_required
def meeting_tick_invitee(request, pk):
    """The host ticks an invitee from the roster (one button per person, phone-sized)."""
    meeting = _runnable_meeting(request, pk)
    try:
        attendance = services.attendance_tick_invitee(
            meeting=meeting, key=request.POST.get("key", "")[:20], by=request.user
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("%(name)s is marked present.") % {"name": attendance.name})
    return redirect(reverse("deliberation:meeting", args=[meeting.pk]) + "#roster")


@require_POST
@login_required
def meeting_minutes(request, pk):
    meeting = _runnable_meeting(request, pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        services.meeting_minutes_save(
            meeting=meeting,
            minutes=form.cleaned_data["minutes"],
            internal=form.cleaned_data["internal"],
            by=request.user,
        )
        messages.success(request, _("The minutes are saved."))
    else:
        _error(request, ValidationError([m for errors in form.errors.values() for m in errors]))
    return redirect("deliberation:meeting", pk=meeting.pk)


@require_POST
@login_required
def meeting_file_add(request, pk):
    meeting = _runnable_meeting(request, pk)
    try:
        services.meeting_file_add(meeting=meeting, upload=request.FILES.get("file"), by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The file is added."))
    return redirect("deliberation:meeting", pk=meeting.pk)


@require_GET
@login_required
def meeting_file(request, pk, file_pk):
    meeting = selectors.access_meeting(request.user, pk)
    item = meeting.files.filter(pk=file_pk).first()
    if item is None:
        raise Http404
    return private_file_response(item.file, as_attachment=not item.is_photo)


@login_required
def meeting_vote(request, pk, topic_pk):
    """The host records the vote count of an agenda topic on the phone."""
    meeting = _runnable_meeting(request, pk)
    topic = meeting.topics.filter(pk=topic_pk).first()
    if topic is None:
        raise Http404
    if request.method == "POST" and _take_step(request, topic, Stage.VOTED, meeting=meeting):
        return redirect("deliberation:meeting", pk=meeting.pk)
    return render(
        request,
        "deliberation/meeting_vote.html",
        {"meeting": meeting, "topic": topic, "options": list(topic.options.all())},
    )


# --- Public -------------------------------------------------------------------------------------------


def call(request, token):
    """The open call's public page (its link and QR code): residents answer, answers are counted."""
    topic = selectors.public_call(token)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        problem = antispam.check_challenge(data["captcha_token"], data["captcha_answer"])
        if data["website"]:  # the honeypot: only scripts fill it
            problem = _("The form expired. Please answer the new question.")
        if problem:
            form.add_error("captcha_answer", problem)
        else:
            try:
                services.answer_submit(topic=topic, text=data["text"], name=data["name"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Thank you: your opinion is counted."))
                return redirect("deliberation:call", token=token)
    captcha_token, captcha_question = antispam.new_challenge()
    context = {
        "topic": topic,
        "form": form,
        "captcha_token": captcha_token,
        "captcha_question": captcha_question,
        "count": topic.answers.count(),
        "open": topic.stage == Stage.SOLICITING,
    }
    return render(request, "deliberation/call.html", context)


def attend(request, token):
    """Where the host's attendance code leads: a logged-in attendee confirms; a resident without an account
    gives a name and the phone's last 4 digits. Submitting twice records once."""
    meeting = Meeting.objects.filter(attendance_token=token).select_related("community").first()
    if meeting is None:
        raise Http404
    form = AttendForm(request.POST or None) if not request.user.is_authenticated else None
    done = None
    if request.method == "POST":
        try:
            if form is not None and not form.is_valid():
                raise ValidationError([m for errors in form.errors.values() for m in errors])
            done = services.attendance_scan(
                token=token, user=request.user, **(form.cleaned_data if form is not None else {})
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("You are signed in to the meeting. Thank you for coming."))
    return render(request, "deliberation/attend.html", {"meeting": meeting, "form": form, "done": done})


@require_GET
def public_disclosures(request, kind, pk):
    place = selectors.public_place(kind, pk)
    page = selectors.public_disclosures(place, page=request.GET.get("page"))
    return render(request, "deliberation/public.html", {"place": place, "page": page})
