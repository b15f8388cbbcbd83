from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .models import Notification
from .services import notification_mark_read


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
