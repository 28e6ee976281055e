"""Who sees the dashboard, and which cases its numbers count.

Every figure, chart, topic list and report counts `dashboard_cases(user=…)`: the same
scope as the case list (cases.selectors.cases_visible_to), so a leader sees the units in
their charge (the whole school for a 主要领导) and no one counts a 举报 that accuses
them. Narrowing to one unit stays inside that scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from cases.models import Case
from cases.selectors import cases_visible_to, hides_accused_cases
from deadlines.clocks import Clock
from people.abilities import is_leader, is_unit_head
from people.models import Unit, User
from supervision.models import Notice

from . import abilities


def require_dashboard(user: User) -> None:
    if abilities.can_view_dashboard(user):
        return
    if is_unit_head(user):
        raise PermissionDenied("您的账号尚未关联部门，请联系系统管理员。")
    raise PermissionDenied("领导看板供院领导、信访办和部门负责人查看。")


def is_whole_school(user: User) -> bool:
    """Whether the user's scope is every case (rollups for the whole school serve them)."""
    return abilities.sees_whole_school(user)


def dashboard_units(user: User) -> QuerySet[Unit]:
    """The units the user may narrow the dashboard to."""
    if is_whole_school(user):
        return Unit.objects.all()
    if is_leader(user):
        return user.charge_units.all()
    if user.unit_id:
        return Unit.objects.filter(pk=user.unit_id)
    return Unit.objects.none()


def dashboard_cases(*, user: User, unit: Unit | None = None) -> QuerySet[Case]:
    """The cases the dashboard counts for `user`, optionally one unit's."""
    qs = cases_visible_to(user=user)
    if unit is not None:
        qs = qs.filter(main_unit=unit)
    return qs


@dataclass
class Scope:
    """Whose cases, and which unit. `unrestricted` when the scope is every case."""

    user: User
    unit: Unit | None
    cases: QuerySet[Case]
    unrestricted: bool

    def clocks(self) -> QuerySet[Clock]:
        qs = Clock.objects.all()
        return qs if self.unrestricted else qs.filter(case__in=self.cases.values("pk"))

    def notices(self) -> QuerySet[Notice]:
        qs = Notice.objects.all()
        if self.user.is_unit_staff:
            # a unit sees its own notices only (supervision.selectors.notices_visible_to)
            qs = qs.filter(unit_id=self.user.unit_id)
        return qs if self.unrestricted else qs.filter(case__in=self.cases.values("pk"))


def hides_cases(user: User) -> bool:
    """Whether some case is out of the scope of `user` though their role sees the whole
    school: the whole-school rollups and the school's cached hot topics then count too
    much for them, and their dashboard is computed live for them alone. So for whoever a
    举报 names (《信访工作条例》第三十条), and for a system administrator, whose scope
    leaves every 举报 out (cases.selectors.cases_visible_to: only the discipline role
    reads them)."""
    return user.role == User.Role.ADMIN or hides_accused_cases(user)


def make_scope(*, user: User, unit: Unit | None) -> Scope:
    whole = is_whole_school(user) and unit is None and not hides_cases(user)
    return Scope(user=user, unit=unit, cases=dashboard_cases(user=user, unit=unit), unrestricted=whole)
