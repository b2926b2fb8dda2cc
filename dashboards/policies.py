"""Who may answer a supervision remark (beside accounts.permissions.role_required)."""

from accounts.models import Role, User
from accounts.permissions import acts_for_area
from dashboards.models import SupervisionRemark


def can_answer(user: User, remark: SupervisionRemark) -> bool:
    """The leaders and clerks whose scope covers the remark's area."""
    return acts_for_area(user, remark.area, Role.LEADER, Role.CLERK)
