"""The move of the visit models from dashboard to visits keeps the rows (dashboard.0002 + visits.0001)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories as f
from visits.models import Visit

BEFORE = [("dashboard", "0001_initial"), ("visits", None)]


@pytest.mark.django_db(transaction=True)
def test_a_visit_recorded_before_the_move_survives_it():
    household, user = f.HouseholdFactory(), f.UserFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE[:1]).apps
        OldVisit = old.get_model("dashboard", "Visit")
        visit = OldVisit.objects.create(
            household_id=household.pk, visited_on=datetime.date(2026, 11, 1), recorded_by_id=user.pk
        )
        visit.visitors.add(user.pk)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    moved = Visit.objects.get(pk=visit.pk)
    assert moved.household_id == household.pk
    assert list(moved.visitors.values_list("pk", flat=True)) == [user.pk]
