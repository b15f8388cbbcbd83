"""Create the usual request categories with their deadlines, if missing (for a new install or seed_demo).

Not a data migration: tests and other apps create categories with the same names themselves."""

from django.core.management.base import BaseCommand

from petitions.services import DEFAULT_CATEGORIES, category_ensure_default


class Command(BaseCommand):
    help = "Create the default request categories (existing ones are left alone)."

    def handle(self, *args, **options):
        created = sum(category_ensure_default(position)[1] for position in range(len(DEFAULT_CATEGORIES)))
        self.stdout.write(f"categories created={created}")
