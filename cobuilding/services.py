"""Every write to the co-building units and the three lists: the admin, the pages and the API call these."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_staff_of
from governance.models import Organisation, PartyOrganisation
from governance.services import organisation_save
from projects.models import Project
from projects.services import project_save
from volunteers.models import Team

from .models import (
    Agreement,
    CoBuildingUnit,
    Match,
    Need,
    ReportedMember,
    Resource,
    UnitContact,
    UnitEvent,
)

UNIT_KINDS = (Organisation.Kind.CO_BUILDING_UNIT, Organisation.Kind.PROPERTY_COMPANY)
# A project made by a match runs for this long unless staff change it in the ledger.
DEFAULT_PROJECT_DAYS = 90


def require_staff(community_id, by):
    if not is_staff_of(by, community_id):
        raise PermissionDenied(_("Only the community's staff may change the co-building lists."))


def _check_quantity(obj):
    if obj.quantity is None or obj.quantity < 0:
        raise ValidationError({"quantity": _("The quantity cannot be below zero.")})


def _old_community(model, obj, by):
    """On a change, the staff check runs on the stored row too: no moving a row out of one's patch."""
    if obj.pk:
        require_staff(model.objects.select_for_update().get(pk=obj.pk).community_id, by)


@transaction.atomic
def unit_save(*, unit, by) -> CoBuildingUnit:
    org = unit.organisation
    if org.kind not in UNIT_KINDS:
        raise ValidationError({"organisation": _("Choose an organisation of the kind co-building unit.")})
    if not org.community_id:
        raise ValidationError({"organisation": _("The organisation must belong to a community.")})
    _old_community(CoBuildingUnit, unit, by)
    unit.community_id = org.community_id
    require_staff(unit.community_id, by)
    if unit.party_organisation_id and unit.party_organisation.community_id != unit.community_id:
        raise ValidationError({"party_organisation": _("The party organisation is not in this community.")})
    unit.full_clean(exclude=["community"])
    unit.save()
    return unit


@transaction.atomic
def unit_with_organisation_save(*, unit, name, by, community=None) -> CoBuildingUnit:
    """The staff page's save: a new unit gets its organisation (the thing work is dispatched to) in the
    same transaction; a changed unit renames its organisation. The rules stay in the two services."""
    org = unit.organisation if unit.pk else Organisation(kind=Organisation.Kind.CO_BUILDING_UNIT)
    if not unit.pk:
        if community is None:
            raise ValidationError({"community": _("Choose the community of the unit.")})
        org.community = community
    org.name = (name or "").strip()
    if not org.name:
        raise ValidationError({"name": _("Enter the unit's name.")})
    if unit.pk:
        _old_community(CoBuildingUnit, unit, by)
    organisation_save(organisation=org, by=by)
    unit.organisation = org
    return unit_save(unit=unit, by=by)


@transaction.atomic
def agreement_save(*, agreement, by, projects=None) -> Agreement:
    require_staff(agreement.unit.community_id, by)
    if agreement.pk:
        require_staff(Agreement.objects.get(pk=agreement.pk).unit.community_id, by)
    if agreement.ends_on and agreement.signed_on and agreement.ends_on < agreement.signed_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the signing date.")})
    if projects is not None:
        foreign = [p.name for p in projects if p.community_id != agreement.unit.community_id]
        if foreign:
            raise ValidationError(
                {
                    "projects": _("These projects are from another community: %(names)s.")
                    % {"names": "、".join(foreign)}
                }
            )
    agreement.full_clean(exclude=["projects"])
    agreement.save()
    if projects is not None:
        agreement.projects.set(projects)
    return agreement


@transaction.atomic
def reported_member_save(*, report, by) -> ReportedMember:
    require_staff(report.unit.community_id, by)
    if report.pk:
        require_staff(ReportedMember.objects.get(pk=report.pk).unit.community_id, by)
    member = report.member
    if not member.in_service:
        raise ValidationError({"member": _("Only in-service party members report to the community.")})
    if member.organisation.community_id != report.unit.community_id:
        raise ValidationError({"member": _("The party member is not registered in this community.")})
    report.full_clean(validate_unique=False)
    report.save()
    return report


@transaction.atomic
def unit_event_save(*, event, by) -> UnitEvent:
    """Record that the unit organised or co-organised an activity of its community (once per activity)."""
    require_staff(event.unit.community_id, by)
    if event.pk:
        require_staff(UnitEvent.objects.get(pk=event.pk).unit.community_id, by)
    activity = event.activity
    if activity.team.community_id != event.unit.community_id:
        raise ValidationError({"activity": _("The activity is not in this unit's community.")})
    if activity.cancelled:
        raise ValidationError({"activity": _("A cancelled activity was not held.")})
    duplicate = UnitEvent.objects.filter(unit=event.unit, activity=activity).exclude(pk=event.pk)
    if duplicate.exists():
        raise ValidationError({"activity": _("This activity is already among the unit's events.")})
    if not event.kind:
        publicity = activity.team.kind == Team.Kind.PUBLICITY
        event.kind = UnitEvent.Kind.PUBLICITY if publicity else UnitEvent.Kind.OTHER
    event.full_clean(validate_unique=False)
    event.save()
    return event


@transaction.atomic
def unit_event_remove(*, event, by) -> None:
    require_staff(event.unit.community_id, by)
    event.delete()


def _check_petitions(petitions, community_id):
    foreign = [p.tracking_code for p in petitions if p.community_id != community_id]
    if foreign:
        raise ValidationError(
            {
                "petitions": _("These requests are from another community: %(codes)s.")
                % {"codes": "、".join(foreign)}
            }
        )


@transaction.atomic
def need_save(*, need, by, petitions=None) -> Need:
    """Create or change a need; `petitions`, when given, replaces the wishes and requests it was drawn from."""
    _old_community(Need, need, by)
    require_staff(need.community_id, by)
    _check_quantity(need)
    if petitions is not None:
        _check_petitions(petitions, need.community_id)
    if not need.pk:
        need.created_by = by
    need.full_clean(exclude=["petitions"])
    need.save()
    if petitions is not None:
        need.petitions.set(petitions)
    return need


@transaction.atomic
def need_from_petitions(*, petitions, title, kind, by, quantity=1, description="") -> Need:
    """A staff member turns one wish or request, or groups several, into one need."""
    petitions = list(petitions)
    if not petitions:
        raise ValidationError({"petitions": _("Choose at least one request or wish.")})
    community_id = petitions[0].community_id
    return need_save(
        need=Need(
            community_id=community_id,
            title=title,
            kind=kind,
            quantity=quantity,
            description=description or "\n".join(p.description[:200] for p in petitions),
        ),
        by=by,
        petitions=petitions,
    )


@transaction.atomic
def resource_save(*, resource, by) -> Resource:
    _old_community(Resource, resource, by)
    resource.community_id = resource.unit.community_id
    require_staff(resource.community_id, by)
    _check_quantity(resource)
    if (
        resource.available_from
        and resource.available_until
        and resource.available_until < resource.available_from
    ):
        raise ValidationError({"available_until": _("The end of availability cannot be before its start.")})
    resource.full_clean(exclude=["community"])
    resource.save()
    return resource


@transaction.atomic
def match_confirm(*, need, resource, by, project=None, organisation=None) -> Match:
    """Staff confirm that `resource` meets `need`: the match extends `project` when one is given, otherwise
    it creates a regional-alliance project owned by `organisation` (by default the unit's own party
    organisation in this community, else the community's party committee)."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    require_staff(need.community_id, by)
    if resource.community_id != need.community_id:
        raise ValidationError({"resource": _("The resource is offered in another community.")})
    if resource.kind != need.kind:
        raise ValidationError({"resource": _("The resource is not of the kind the need asks for.")})
    if need.status == Need.Status.CLOSED:
        raise ValidationError({"need": _("This need is closed.")})
    if Match.objects.filter(need=need, resource=resource).exists():
        raise ValidationError({"resource": _("This resource is already matched to this need.")})
    petitions = list(need.petitions.all())
    if project is not None:
        if project.community_id != need.community_id:
            raise ValidationError({"project": _("The project is in another community.")})
        if not project.is_active:
            raise ValidationError({"project": _("Only a planned or running project can be extended.")})
        project = project_save(project=project, by=by, petitions=list({*project.petitions.all(), *petitions}))
    else:
        organisation = organisation or _default_organisation(need, resource)
        today = timezone.localdate()
        project = project_save(
            project=Project(
                name=need.title[:100],
                kind=Project.Kind.ALLIANCE,
                organisation=organisation,
                description=_("%(need)s, with %(resource)s from %(unit)s.")
                % {"need": need.title, "resource": resource.title, "unit": resource.unit},
                starts_on=today,
                due_on=today + datetime.timedelta(days=DEFAULT_PROJECT_DAYS),
            ),
            by=by,
            petitions=petitions,
        )
    match = Match.objects.create(need=need, resource=resource, project=project, confirmed_by=by)
    need.status = Need.Status.MATCHED
    need.save(update_fields=["status"])
    return match


def _default_organisation(need, resource):
    own = resource.unit.party_organisation
    if own is not None and own.community_id == need.community_id:
        return own
    committee = (
        PartyOrganisation.objects.filter(
            community_id=need.community_id, level=PartyOrganisation.Level.COMMUNITY_COMMITTEE
        )
        .order_by("pk")
        .first()
    )
    if committee is None:
        raise ValidationError({"organisation": _("Choose the party organisation that owns the project.")})
    return committee


@transaction.atomic
def contact_save(*, contact, by) -> UnitContact:
    require_staff(contact.unit.community_id, by)
    if contact.pk:
        require_staff(UnitContact.objects.get(pk=contact.pk).unit.community_id, by)
    contact.full_clean()
    contact.save()
    return contact
