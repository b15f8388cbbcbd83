"""Visit, Campaign and VisitItem move to the visits app (Django's documented move between apps).

The rows stay where they are: in the database the tables are renamed (AlterModelTable also renames the
auto-created many-to-many tables, dashboard_visit_visitors → visits_visit_visitors); in the migration
state the models are deleted here and created again by visits.0001_initial, which runs after this.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="visit", table="visits_visit"),
                migrations.AlterModelTable(name="campaign", table="visits_campaign"),
                migrations.AlterModelTable(name="visititem", table="visits_visititem"),
            ],
            state_operations=[
                migrations.DeleteModel(name="VisitItem"),
                migrations.DeleteModel(name="Campaign"),
                migrations.DeleteModel(name="Visit"),
            ],
        ),
    ]
