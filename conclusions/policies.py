"""Who may do what with an assignment (beside accounts.permissions.role_required, which
decides by role alone): the assignees work on it, the issuer's side accepts or returns it."""

from accounts.models import Role, User
from accounts.permissions import acts_for_area
from conclusions.models import Assignment


def is_assignee(user: User, assignment: Assignment) -> bool:
    """The lead agency's handlers, the coordinating agencies' handlers, the responsible person."""
    if not user.is_authenticated:
        return False
    if assignment.responsible_person_id == user.pk:
        return True
    if not (user.has_role(Role.HANDLER) and user.agency_id):
        return False
    return (
        user.agency_id == assignment.lead_agency_id
        or assignment.coordinating_agencies.filter(pk=user.agency_id).exists()
    )


def is_issuer_side(user: User, assignment: Assignment) -> bool:
    """Clerks and leaders whose scope covers the notice's area accept or return the work."""
    return acts_for_area(user, assignment.area, Role.CLERK, Role.LEADER)
