"""The worker benchmark's baseline job."""


def noop() -> None:
    """A trivial rq job: does nothing."""
    return None
