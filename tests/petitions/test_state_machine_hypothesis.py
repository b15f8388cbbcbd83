"""Random sequences of actions by random people: whatever happens, the loop's invariants hold."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from petitions import services as s
from petitions.models import Petition

ACTORS = ["alice", "bob", "dave", "pete", "carol", "sam", "erin"]
ACTIONS = sorted(set(s.RULES) - {"rate", "merge", "request_extension"})


@pytest.mark.django_db
def test_random_walks_keep_the_invariants(world, submit):
    class Loop(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.p = submit(world, kind="wish")
            self.successes = 0

        @rule(
            action=st.sampled_from(ACTIONS),
            actor=st.sampled_from(ACTORS),
            solved=st.booleans(),
            satisfaction=st.sampled_from(Petition.Satisfaction.values),
        )
        def act(self, action, actor, solved, satisfaction):
            before = (self.p.status, self.p.events.count())
            extra = {}
            if action in ("dispatch", "reassign"):
                extra["assignee"] = world.dave
            if action == "follow_up":
                extra.update(solved=solved, satisfaction=satisfaction)
            try:
                s.petition_transition(
                    petition=self.p, action=action, by=getattr(world, actor), note="说明", **extra
                )
            except ValidationError:
                self.p.refresh_from_db()
                assert (self.p.status, self.p.events.count()) == before
            else:
                self.successes += 1

        @invariant()
        def history_matches_state(self):
            p = Petition.objects.get(pk=self.p.pk)
            events = list(p.events.order_by("created_at", "pk"))
            assert len(events) == 1 + self.successes
            assert events[-1].to_status == p.status
            for a, b in zip(events, events[1:], strict=False):
                assert b.from_status == a.to_status
            if p.status == "closed":
                assert p.followed_up_at is not None or p.events.filter(action="review_close").exists()
            if p.status == "resolved":
                assert p.resolved_by_id and p.resolved_at
            # Officials above the community and outsiders never changed anything.
            assert not p.events.filter(actor__username__in=["erin", "carol"]).exists()
            assert (
                not p.events.filter(actor__username="sam")
                .exclude(action="annotate")
                .exclude(action="reassign")
                .exists()
            )

    Loop.TestCase.settings = settings(
        max_examples=8,
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    Loop.TestCase().runTest()
