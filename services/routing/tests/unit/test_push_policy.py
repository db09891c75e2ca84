"""Push policy: backoff with full jitter, and the per-endpoint circuit breaker."""

from __future__ import annotations

from lienthong.routing.service.push import CircuitBreaker, PushPolicy


def test_backoff_grows_exponentially_with_full_jitter_and_a_cap():
    policy = PushPolicy(backoff_base_s=1.0, backoff_max_s=10.0)
    for attempt, ceiling in ((1, 1.0), (2, 2.0), (3, 4.0), (6, 10.0), (20, 10.0)):
        samples = [policy.backoff(attempt) for _ in range(200)]
        assert all(0 <= s <= ceiling for s in samples)
        assert max(samples) > ceiling / 2  # spread over the range, not a constant


def test_breaker_opens_after_consecutive_failures_and_lets_one_trial_through_after_the_cooldown():
    clock = [0.0]
    breaker = CircuitBreaker(threshold=3, cooldown_s=10, now=lambda: clock[0])
    for _ in range(2):
        breaker.record(False)
    assert breaker.allow() and not breaker.open
    breaker.record(False)
    assert breaker.open and not breaker.allow()
    clock[0] = 10.0
    assert breaker.allow()          # the trial
    assert not breaker.allow()      # only one at a time
    breaker.record(False)
    assert not breaker.allow()      # open again for another cooldown
    clock[0] = 20.0
    assert breaker.allow()
    breaker.record(True)
    assert not breaker.open and breaker.allow()


def test_a_success_resets_the_failure_count():
    breaker = CircuitBreaker(threshold=2, cooldown_s=10, now=lambda: 0.0)
    breaker.record(False)
    breaker.record(True)
    breaker.record(False)
    assert not breaker.open


def test_blocked_while_cooling_down_or_while_the_trial_is_in_flight():
    clock = [0.0]
    breaker = CircuitBreaker(threshold=1, cooldown_s=10, now=lambda: clock[0])
    assert not breaker.blocked()
    breaker.record(False)
    assert breaker.blocked()
    clock[0] = 10.0
    assert not breaker.blocked() and breaker.allow()
    assert breaker.blocked()  # the trial is in flight
