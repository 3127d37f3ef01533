from __future__ import annotations

from lmi.ops.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bursts_up_to_the_allowance_then_waits() -> None:
    clock = Clock()
    limiter = RateLimiter(clock)
    assert [limiter.acquire("a", 3) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.acquire("a", 3) == 20  # one token every 20 s at 3/minute
    assert limiter.acquire("b", 3) == 0.0  # clients are independent
    clock.now += 20
    assert limiter.acquire("a", 3) == 0.0
    assert limiter.acquire("a", 3) > 0


def test_zero_disables() -> None:
    limiter = RateLimiter(Clock())
    assert all(limiter.acquire("a", 0) == 0.0 for _ in range(1000))
