from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from petitions.selectors import find_by_tracking_code

from . import wechat
from .forms import PreferenceForm
from .models import Notification, NotificationPreference, WeChatBinding
from .services import notification_mark_read, notification_preference_update, wechat_bind, wechat_follow
from .services import wechat_unbind as services_unbind


@login_required
def inbox(request):
    qs = Notification.objects.for_user(request.user).order_by("-created_at", "-pk")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    unread = Notification.objects.for_user(request.user).unread().count()
    return render(request, "notifications/inbox.html", {"page": page, "unread": unread})


@login_required
@require_POST
def mark_read(request):
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()] or None
    notification_mark_read(user=request.user, ids=ids)
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    """Where the user's notices go: e-mail and WeChat at once, in a morning digest or not at all; SMS for
    every notice, urgent ones only or none. The inbox always has everything."""
    preference = NotificationPreference.for_user(request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        try:
            notification_preference_update(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    context = {
        "form": form,
        "has_email": bool(request.user.email),
        "has_phone": bool(request.user.phone_encrypted),
        "wechat_bound": WeChatBinding.objects.filter(user=request.user).exists(),
        "wechat_enabled": wechat.enabled(),
    }
    return render(request, "notifications/preferences.html", context)


WECHAT_STATE_SALT = "notifications.wechat.bind"


@login_required
def wechat_page(request):
    """Whether the user's notices also go to WeChat, and the link that binds it (opened inside WeChat)."""
    binding = WeChatBinding.objects.filter(user=request.user).first()
    link = ""
    if wechat.enabled():
        state = signing.dumps(request.user.pk, salt=WECHAT_STATE_SALT)
        link = wechat.authorize_url(
            request.build_absolute_uri(reverse("notifications:wechat_callback")), state
        )
    return render(request, "notifications/wechat.html", {"binding": binding, "link": link})


@require_GET
@login_required
def wechat_callback(request):
    """WeChat's authorisation comes back here with a code; the signed state ties it to the user who
    opened the link (a link forwarded to someone else binds nothing)."""
    try:
        user_pk = signing.loads(request.GET.get("state", ""), salt=WECHAT_STATE_SALT, max_age=600)
    except signing.BadSignature:
        user_pk = None
    if user_pk != request.user.pk:
        messages.error(request, _("This binding link is not yours or has expired; open it again."))
        return redirect("notifications:wechat")
    try:
        wechat_bind(user=request.user, code=request.GET.get("code", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your notices now also reach you on WeChat."))
    return redirect("notifications:wechat")


@login_required
@require_POST
def wechat_unbind(request):
    services_unbind(user=request.user)
    messages.success(request, _("WeChat unbound: your notices stay in the inbox."))
    return redirect("notifications:wechat")


FOLLOW_STATE_SALT = "notifications.wechat.follow"


@require_GET
def wechat_follow_start(request, code):
    """From a request's tracking page: on to WeChat's authorisation, the tracking code signed in the state."""
    petition = find_by_tracking_code(code)
    if petition is None or not wechat.enabled():
        raise Http404
    state = signing.dumps(petition.tracking_code, salt=FOLLOW_STATE_SALT)
    callback = request.build_absolute_uri(reverse("notifications:wechat_follow_callback"))
    return redirect(wechat.authorize_url(callback, state))


@require_GET
def wechat_follow_callback(request):
    try:
        tracking_code = signing.loads(request.GET.get("state", ""), salt=FOLLOW_STATE_SALT, max_age=600)
    except signing.BadSignature:
        raise Http404 from None
    petition = find_by_tracking_code(tracking_code)
    if petition is None:
        raise Http404
    try:
        wechat_follow(petition=petition, code=request.GET.get("code", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Each new step of this request will now reach you on WeChat."))
    return redirect("petitions:track", code=petition.tracking_code)
