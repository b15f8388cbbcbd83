"""Party organisation pages. Thin views: read through `governance.selectors`."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
@login_required
def party_tree(request):
    community, communities = selectors.access_community(request.user, request.GET.get("community"))
    tree = selectors.party_tree(request.user, community, request.GET.get("page"))
    context = {"tree": tree, "community": community, "communities": communities}
    return render(request, "governance/party_tree.html", context)
