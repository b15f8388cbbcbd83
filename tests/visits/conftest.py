"""The visits tests share the dashboard's request fixtures (defined once, in tests/dashboard/conftest.py)."""

from tests.dashboard.conftest import category, make_item, photo_file, resolved_item

__all__ = ["category", "make_item", "photo_file", "resolved_item"]
