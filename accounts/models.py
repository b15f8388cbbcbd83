from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grids.models import Community, EncryptedPhone
from grids.validators import validate_work_phone

from .roles import ROLE_LEVEL, Level, Role
from .scoping import scope_for


class User(EncryptedPhone, AbstractUser):
    """A person who logs in. Residents without an account are `grids.Resident` rows only."""

    # The login phone, encrypted at rest: one account per number, found by its blind index.
    phone_index = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        error_messages={"unique": _("Another account already uses this mobile number.")},
    )
    display_name = models.CharField(pgettext_lazy("person", "Name"), max_length=50, blank=True)
    # Public, unlike the login phone above: the number printed on contact cards (连心卡).
    work_phone = models.CharField(
        _("Work phone"),
        max_length=24,
        blank=True,
        validators=[validate_work_phone],
        help_text=_("An office or duty number printed on contact cards; never a private mobile."),
    )
    # The community a person belongs to; every non-official assignment must lie inside it.
    community = models.ForeignKey(
        "grids.Community",
        verbose_name=_("Home community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("User")
        verbose_name_plural = _("User")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    @property
    def scope(self):
        """The places this user may see, computed once per request (see accounts.scoping).

        The model hands scoping the querysets to read, so scoping never imports models (imports go
        models → scoping, one way); both querysets are lazy and run only when the user has a role."""
        cached = getattr(self, "_linli_scope", None)
        if cached is None:
            cached = self._linli_scope = scope_for(
                self,
                assignments=RoleAssignment.objects.active().filter(user=self),
                communities=Community.objects.all(),
            )
        return cached

    def has_role(self, *roles) -> bool:
        return bool(self.scope.roles & set(roles))


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=on), Q(valid_until__isnull=True) | Q(valid_until__gte=on))


class RoleAssignment(models.Model):
    """A role held at one place of the hierarchy for a period. A user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("User"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("Role"), max_length=32, choices=Role.choices)
    district = models.ForeignKey(
        "grids.District", verbose_name=_("District"), null=True, blank=True, on_delete=models.PROTECT
    )
    street = models.ForeignKey(
        "grids.Street", verbose_name=_("Street"), null=True, blank=True, on_delete=models.PROTECT
    )
    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), null=True, blank=True, on_delete=models.PROTECT
    )
    grid = models.ForeignKey(
        "grids.Grid", verbose_name=_("Grid"), null=True, blank=True, on_delete=models.PROTECT
    )
    microgrid = models.ForeignKey(
        "grids.MicroGrid", verbose_name=_("Micro-grid"), null=True, blank=True, on_delete=models.PROTECT
    )
    valid_from = models.DateField(_("Valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("Valid until"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Role assignment")
        verbose_name_plural = _("Role assignment")
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.place}"

    @property
    def place(self):
        return self.microgrid or self.grid or self.community or self.street or self.district

    def place_community(self):
        if self.microgrid_id:
            return self.microgrid.grid.community
        if self.grid_id:
            return self.grid.community
        return self.community

    def clean(self):
        level = ROLE_LEVEL.get(self.role)
        field_for_level = {
            Level.DISTRICT: "district",
            Level.STREET: "street",
            Level.COMMUNITY: "community",
            Level.GRID: "grid",
            Level.MICROGRID: "microgrid",
        }
        wanted = field_for_level.get(level)
        places = [name for name in field_for_level.values() if getattr(self, f"{name}_id")]
        if wanted and places != [wanted]:
            raise ValidationError(
                {
                    wanted: _("The role “%(role)s” must be assigned to exactly one %(level)s.")
                    % {"role": self.get_role_display(), "level": Level(level).label}
                }
            )
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end date cannot be before the start date.")})
        if level in (Level.COMMUNITY, Level.GRID, Level.MICROGRID) and self.user_id:
            home = self.user.community_id
            place_community = self.place_community()
            if home and place_community and place_community.pk != home:
                raise ValidationError(
                    _("A user cannot be assigned to a grid or community outside their own community.")
                )


class RevealLog(models.Model):
    """Every time someone unmasks a resident's phone or ID number: who, whom, when, why."""

    class Field(models.TextChoices):
        PHONE = "phone", _("Mobile phone")
        ID_NUMBER = "id_number", _("ID number")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Viewed by"), on_delete=models.PROTECT)
    resident = models.ForeignKey("grids.Resident", verbose_name=_("Resident"), on_delete=models.PROTECT)
    field = models.CharField(_("Field"), max_length=16, choices=Field.choices)
    reason = models.CharField(_("Reason"), max_length=200)
    created_at = models.DateTimeField(_("Time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Personal data reveal")
        verbose_name_plural = _("Personal data reveal")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} → {self.resident} ({self.get_field_display()})"
