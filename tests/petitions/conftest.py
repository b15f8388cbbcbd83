import pytest

from petitions.models import Category
from petitions.services import petition_submit


@pytest.fixture
def category(db):
    return Category.objects.create(name="公共设施", accept_within=24, resolve_within=72, follow_up_after_days=3)


@pytest.fixture
def submit(category):
    """submit(world, **overrides): a public request about building b1 (grid g1) with a phone."""

    def make(w, **kw):
        data = {
            "kind": "request",
            "category": category,
            "description": "1栋楼道灯坏了",
            "channel": "public",
            "building": w.b1,
            "phone": "13811112222",
        }
        data.update(kw)
        return petition_submit(**data)

    return make
