"""Parts of the annual report (条例 第41条) that come from an app the dashboard may not
import: the accountability suggestions (第41条(三): 追究责任建议以及被采纳情况) live in
`accountability`, a sibling of `dashboard` in the floors. Such an app registers a
function in its AppConfig.ready(); the report asks every registered function for its
part, for the year and the reader's scope, and shows each on the page, in the PDF and as
its own sheet of the xlsx."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ReportPart:
    title: str  # the section's heading and the xlsx sheet's name
    headers: list[str]
    rows: list[list[Any]]
    widths: list[int] = field(default_factory=list)
    # (label, value) lines for the report's overview and its prose
    summary: list[tuple[str, Any]] = field(default_factory=list)


# part(year=int, cases=QuerySet[Case] in the reader's scope, whole_school=bool) -> ReportPart
AnnualReportPart = Callable[..., ReportPart]
_PARTS: list[AnnualReportPart] = []


def register_annual_report_part(part: AnnualReportPart) -> None:
    if part not in _PARTS:
        _PARTS.append(part)


def annual_report_parts(*, year: int, cases: Any, whole_school: bool) -> list[ReportPart]:
    return [part(year=year, cases=cases, whole_school=whole_school) for part in _PARTS]
