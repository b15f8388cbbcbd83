"""Create the usual request categories with their deadlines, if missing (for a new install or seed_demo).

Not a data migration: tests and other apps create categories with the same names themselves."""

from django.core.management.base import BaseCommand

from petitions.models import Category

DEFAULTS = [
    # name, unit, contact h, accept, resolve, follow-up days, private
    ("公共设施", "hours", 24, 24, 72, 3, False),
    ("环境卫生", "hours", 24, 24, 48, 3, False),
    ("物业管理", "workdays", 24, 1, 5, 5, False),
    ("为老服务", "hours", 12, 12, 72, 3, False),
    ("安全隐患", "hours", 2, 4, 24, 2, False),
    ("邻里纠纷", "workdays", 24, 1, 10, 5, True),
    ("政策咨询", "workdays", 24, 1, 3, 3, False),
    ("其他", "workdays", 24, 1, 5, 3, False),
]


class Command(BaseCommand):
    help = "Create the default request categories (existing ones are left alone)."

    def handle(self, *args, **options):
        created = 0
        for position, (name, unit, contact, accept, resolve, follow_up, private) in enumerate(DEFAULTS):
            _obj, new = Category.objects.get_or_create(
                name=name,
                defaults={
                    "deadline_unit": unit,
                    "contact_within_hours": contact,
                    "accept_within": accept,
                    "resolve_within": resolve,
                    "follow_up_after_days": follow_up,
                    "private": private,
                    "position": position,
                },
            )
            created += new
        self.stdout.write(f"categories created={created}")
