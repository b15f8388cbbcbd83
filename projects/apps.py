from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Party-building project ledger")

    def ready(self):
        # Milestone reminders are swept by the petitions outbox sweep, in the same loop and with the same
        # once-only rules (see petitions.services.sweep.register_source).
        from petitions.services import sweep

        from .models import ProjectReminder
        from .services import reminders

        sweep.register_source(ProjectReminder, reminders.process, related=reminders.CLAIM_RELATED)
