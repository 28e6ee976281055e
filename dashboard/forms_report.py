"""Forms of the annual report and the leader reception schedule."""

from __future__ import annotations

import re

from django import forms

from cases.models import Case
from core.forms import DATE, EMPTY_LABEL, Styled, StyledModelForm
from dashboard.models import ReceptionDay
from dashboard.scope import dashboard_cases
from people.models import User

from .scope import dashboard_units


class ReportForm(Styled):
    """The report's year and, within the reader's scope, one unit."""

    year = forms.TypedChoiceField(
        label="年度", coerce=int, choices=[], error_messages={"invalid_choice": "请选择列表中的年度。"}
    )
    unit = forms.ModelChoiceField(
        label="部门",
        queryset=None,
        required=False,
        to_field_name="code",
        error_messages={"invalid_choice": "请选择列表中的部门。"},
    )

    def __init__(self, *args, user: User, years: list[int], scope_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y}年") for y in years]
        self.fields["unit"].queryset = dashboard_units(user)
        self.fields["unit"].empty_label = scope_label


class ReceptionDayForm(StyledModelForm):
    """The office schedules a leader's reception day (seed 001 (三)), and may link cases
    received at it that did not come in by 来访 that day (约访, a visit registered later)."""

    case_numbers = forms.CharField(
        label="关联信访件编号",
        required=False,
        help_text="当日来访登记的信访件自动列出；其他接待的信访件可填编号，多个用空格或逗号分隔，如 2026-0001。",
    )

    class Meta:
        model = ReceptionDay
        fields = ["date", "leader", "time_slot", "place", "note"]
        widgets = {"date": DATE, "note": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "date": {"required": "请填写接访日期。"},
            "leader": {"required": "请选择接访领导。", "invalid_choice": "请选择列表中的院领导。"},
            "time_slot": {"required": "请填写接访时段，如：上午 8:30—11:30。"},
            "place": {"required": "请填写接访地点。"},
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        # Case numbers are looked up, shown and kept within the user's own scope: a case
        # hidden from them (a 举报 naming them) is neither found nor revealed, and a link
        # a colleague made to it stays.
        self.visible = dashboard_cases(user=user)
        self.hidden_links = (
            list(self.instance.cases.exclude(pk__in=self.visible.values("pk"))) if self.instance.pk else []
        )
        self.fields["leader"].queryset = User.objects.filter(role=User.Role.LEADER, is_active=True).order_by(
            "-is_main_leader", "full_name"
        )
        self.fields["leader"].empty_label = EMPTY_LABEL
        if self.instance.pk and not self.is_bound:
            self.initial["case_numbers"] = " ".join(
                self.instance.cases.filter(pk__in=self.visible.values("pk"))
                .order_by("number")
                .values_list("number", flat=True)
            )

    def clean_case_numbers(self) -> list[Case]:
        numbers = [n for n in re.split(r"[\s,，、;；]+", self.cleaned_data["case_numbers"]) if n]
        found = {c.number: c for c in self.visible.filter(number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(f"找不到编号为 {'、'.join(missing)} 的信访件，或不在您的查看范围内，请核对。")
        return [*found.values(), *self.hidden_links]
