"""Visit, Campaign and VisitItem, moved here from dashboard with their tables and rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    """Permissions and admin log entries follow the models instead of pointing at stale types."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    models_moved = ["visit", "campaign", "visititem"]
    taken = set(
        ContentType.objects.filter(app_label="visits", model__in=models_moved).values_list("model", flat=True)
    )
    ContentType.objects.filter(app_label="dashboard", model__in=set(models_moved) - taken).update(
        app_label="visits"
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('dashboard', '0002_move_visits_to_visits_app'),
        ('grids', '0001_initial'),
        ('petitions', '0002_outbox_new_item'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The tables exist already (renamed by dashboard.0002): only the state is created here.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Visit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('visited_on', models.DateField(db_index=True, verbose_name='Visit date')),
                        ('outcome', models.CharField(choices=[('met', 'Met the residents'), ('not_home', 'Nobody at home'), ('vacant', 'Dwelling vacant')], default='met', max_length=10, verbose_name='Outcome')),
                        ('others_met', models.PositiveSmallIntegerField(default=0, help_text='People met who are not in the register.', verbose_name='Other people met')),
                        ('persons_met', models.PositiveSmallIntegerField(default=0, editable=False, verbose_name='Persons met')),
                        ('topics', models.JSONField(blank=True, default=list, verbose_name='Topics raised')),
                        ('situation', models.TextField(blank=True, max_length=2000, verbose_name='Situation found')),
                        ('follow_up_needed', models.BooleanField(default=False, verbose_name='Follow-up needed')),
                        ('photo', models.ImageField(blank=True, upload_to='visits/%Y/%m/', verbose_name='Photo')),
                        ('latitude', models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, verbose_name='Latitude')),
                        ('longitude', models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, verbose_name='Longitude')),
                        ('client_key', models.UUIDField(blank=True, editable=False, null=True, unique=True, verbose_name='Draft key')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='Recorded at')),
                        ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='grids.household', verbose_name='Dwelling')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits_recorded', to=settings.AUTH_USER_MODEL, verbose_name='Recorded by')),
                        ('residents_met', models.ManyToManyField(blank=True, related_name='visits', to='grids.resident', verbose_name='Residents met')),
                        ('visitors', models.ManyToManyField(related_name='visits_made', to=settings.AUTH_USER_MODEL, verbose_name='Visitors')),
                    ],
                    options={
                        'verbose_name': 'Visit',
                        'verbose_name_plural': 'Visits',
                        'ordering': ['-visited_on', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='VisitItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('petition', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='raised_in_visit', to='petitions.petition', verbose_name='Request')),
                        ('visit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='visits.visit', verbose_name='Visit')),
                    ],
                    options={
                        'verbose_name': 'Request raised in a visit',
                        'verbose_name_plural': 'Requests raised in visits',
                    },
                ),
                migrations.CreateModel(
                    name='Campaign',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='Name')),
                        ('starts_on', models.DateField(verbose_name='Starts on')),
                        ('ends_on', models.DateField(verbose_name='Ends on')),
                        ('note', models.TextField(blank=True, max_length=1000, verbose_name='Note')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='Created at')),
                        ('community', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='grids.community', verbose_name='Community')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='Started by')),
                        ('district', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='grids.district', verbose_name='District')),
                        ('grid', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='grids.grid', verbose_name='Grid')),
                    ],
                    options={
                        'verbose_name': 'Visiting campaign',
                        'verbose_name_plural': 'Visiting campaigns',
                        'ordering': ['-starts_on', '-pk'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='campaign_ends_after_start'), models.CheckConstraint(condition=models.Q(models.Q(('community__isnull', True), ('district__isnull', True), ('grid__isnull', False)), models.Q(('community__isnull', False), ('district__isnull', True), ('grid__isnull', True)), models.Q(('community__isnull', True), ('district__isnull', False), ('grid__isnull', True)), _connector='OR'), name='campaign_one_patch')],
                    },
                ),
                migrations.AddIndex(
                    model_name='visit',
                    index=models.Index(fields=['household', 'visited_on'], name='dashboard_v_househo_c01f10_idx'),
                ),
    
            ],
            database_operations=[],
        ),
        # The index keeps its data; only its name follows the app's naming.
        migrations.RenameIndex(
            model_name='visit',
            new_name='visits_visi_househo_bf2f65_idx',
            old_name='dashboard_v_househo_c01f10_idx',
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
