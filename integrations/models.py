"""Systems that call Linli: API clients with their keys, the log of their writes, and what Open311 keeps
beside a petition (the client that posted it, its token and position, the answers to a category's
questions)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .querysets import ApiClientQuerySet


class ApiScope(models.TextChoices):
    READ_REGISTRY = "read_registry", _("Read the registry")
    READ_PETITIONS = "read_petitions", _("Read requests")
    WRITE_PETITIONS = "write_petitions", _("Write requests")
    OPEN311 = "open311", _("Open311 (post requests)")


class ApiClient(models.Model):
    """A system allowed to call the API with a key. The key is shown once when the client is created;
    only its prefix (to find the row) and its SHA-256 (to check it) are kept. Requests made with the key
    act as `user`, an account of the client's own that cannot log in, with the scope of a read-only
    official over the client's area (see integrations.keys.client_scope)."""

    name = models.CharField(_("Name"), max_length=100)
    key_prefix = models.CharField(_("Key prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client", editable=False
    )
    # Exactly one of the three: the area whose data the key reads and where it may post.
    community = models.ForeignKey(
        "grids.Community", verbose_name=_("Community"), null=True, blank=True, on_delete=models.PROTECT
    )
    street = models.ForeignKey(
        "grids.Street", verbose_name=_("Street"), null=True, blank=True, on_delete=models.PROTECT
    )
    district = models.ForeignKey(
        "grids.District", verbose_name=_("District"), null=True, blank=True, on_delete=models.PROTECT
    )
    scopes = models.JSONField(_("Scopes"), default=list, blank=True)
    trusted = models.BooleanField(
        _("Trusted"),
        default=False,
        help_text=_(
            "A trusted system (the city platform) vouches for its senders: no per-network limit, and the "
            "phone it passes on counts as verified."
        ),
    )
    rate_limit_per_hour = models.PositiveIntegerField(_("Requests per hour"), default=1000)
    expires_at = models.DateTimeField(_("Expires at"))
    revoked_at = models.DateTimeField(_("Revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    # Stamped at most once a minute (integrations.keys.client_touch), not on every request.
    last_used_at = models.DateTimeField(_("Last used at"), null=True, blank=True, editable=False)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(community__isnull=False, street__isnull=True, district__isnull=True)
                    | Q(community__isnull=True, street__isnull=False, district__isnull=True)
                    | Q(community__isnull=True, street__isnull=True, district__isnull=False)
                ),
                name="apiclient_one_area",
                violation_error_message=_("Bind the client to exactly one community, street or district."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.key_prefix})"

    @property
    def area(self):
        return self.community or self.street or self.district

    def has_scope(self, scope) -> bool:
        return scope in self.scopes

    def usable(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class ApiClientUse(models.Model):
    """One write made with a key (reads are logged, see integrations.middleware, and stamp
    `ApiClient.last_used_at`)."""

    client = models.ForeignKey(
        ApiClient, verbose_name=_("API client"), on_delete=models.CASCADE, related_name="uses"
    )
    method = models.CharField(_("Method"), max_length=8)
    path = models.CharField(_("Path"), max_length=200)
    status_code = models.PositiveSmallIntegerField(_("Status code"))
    created_at = models.DateTimeField(_("Time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("API client write")
        verbose_name_plural = _("API client writes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.client_id} {self.method} {self.path} {self.status_code}"


class ServiceAttribute(models.Model):
    """A question an Open311 client must (or may) answer for a category: the attributes of the service
    definition. Staff add them in the admin for the categories that need them."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        TEXT = "text", _("Long text")
        SINGLE = "singlevaluelist", _("One of a list")
        MULTI = "multivaluelist", _("Several of a list")

    category = models.ForeignKey(
        "petitions.Category",
        verbose_name=_("Category"),
        on_delete=models.CASCADE,
        related_name="open311_attributes",
    )
    code = models.SlugField(_("Code"), max_length=40)
    description = models.CharField(_("Question"), max_length=200)
    datatype = models.CharField(
        _("Type of answer"), max_length=16, choices=Datatype.choices, default=Datatype.STRING
    )
    datatype_description = models.CharField(_("Hint on the answer"), max_length=200, blank=True)
    required = models.BooleanField(_("Required"), default=False)
    order = models.PositiveSmallIntegerField(_("Order"), default=1)
    # For the two list types: [{"key": "...", "name": "..."}, ...]
    values = models.JSONField(_("Choices"), default=list, blank=True)

    class Meta:
        verbose_name = _("Open311 question")
        verbose_name_plural = _("Open311 questions")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="serviceattribute_code_unique"),
        ]

    def __str__(self):
        return f"{self.category_id}:{self.code}"


class Open311Request(models.Model):
    """What an Open311 POST left beside the petition it created."""

    petition = models.OneToOneField(
        "petitions.Petition", verbose_name=_("Request"), on_delete=models.CASCADE, related_name="open311"
    )
    client = models.ForeignKey(
        ApiClient, verbose_name=_("API client"), on_delete=models.PROTECT, related_name="requests"
    )
    token = models.CharField(_("Token"), max_length=32, unique=True)
    latitude = models.DecimalField(_("Latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("Longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    attributes = models.JSONField(_("Answers"), default=dict, blank=True)
    created_at = models.DateTimeField(_("Received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")

    def __str__(self):
        return f"{self.petition_id} via {self.client_id}"
