"""Fixtures of the api tests."""

from amn.access.tests.factories import fast_password_hashing, world  # noqa: F401 (fixtures)
