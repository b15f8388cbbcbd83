from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    """The mobile dashboard shell; later work fills each role's cards."""
    return render(request, "dashboard/home.html", {"scope": request.user.scope})
