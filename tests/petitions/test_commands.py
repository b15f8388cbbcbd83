import pytest
from django.core.management import call_command

from petitions.models import Category


@pytest.mark.sqlite
@pytest.mark.django_db
def test_default_categories_are_created_once():
    call_command("petitions_default_categories")
    call_command("petitions_default_categories")
    assert Category.objects.count() == 8
    assert Category.objects.get(name="邻里纠纷").private
