"""Fixtures of the appointments tests: the demo world (amn.access.tests.factories)."""

from amn.access.tests.factories import fast_password_hashing, world  # noqa: F401 (fixtures)
