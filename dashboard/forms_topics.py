"""Forms for the hot-topic page and the policy-fix record; messages in Chinese."""

from __future__ import annotations

import re
from datetime import timedelta

from django import forms
from django.utils import timezone

from cases.models import Case
from cases.validators import validate_in_range
from core.forms import DATE, Styled, required
from people.models import Unit, User

from .scope import dashboard_cases, dashboard_units, is_whole_school
from .topics import Period

DEFAULT_DAYS = 30
# The previous period doubles what is read; two years each way is plenty for a trend.
MAX_DAYS = 730
PRESETS = [(7, "近7天"), (30, "近30天"), (90, "近90天"), (365, "近一年")]


class ScopeForm(Styled):
    """The unit to narrow to, among the units the viewer may see."""

    unit = forms.ModelChoiceField(label="范围", queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["unit"]
        field.queryset = dashboard_units(user).order_by("code")
        field.empty_label = "全校" if is_whole_school(user) else "我分管的全部"
        field.error_messages["invalid_choice"] = "所选部门不在您的查看范围内。"

    def chosen_unit(self) -> Unit | None:
        return self.cleaned_data.get("unit") if self.is_valid() else None


class TopicsFilterForm(ScopeForm):
    message_names = {"date_from": "收到日期的起始日", "date_to": "收到日期的截止日"}

    # within cases.validators.FIRST_DAY–LAST_DAY: the previous period is read too, and
    # before year 1 it cannot be (issue 13 point 10); an error in place, the default period
    date_from = forms.DateField(label="收到日期自", required=False, widget=DATE, validators=[validate_in_range])
    date_to = forms.DateField(label="至", required=False, widget=DATE, validators=[validate_in_range])

    def clean(self):
        data = super().clean()
        if {"date_from", "date_to"} & self.errors.keys():
            return data
        start, end = data.get("date_from"), data.get("date_to")
        today = timezone.localdate()
        end = end or today
        start = start or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            self.add_error("date_to", "结束日期不能早于开始日期。")
        elif (end - start).days + 1 > MAX_DAYS:
            self.add_error("date_from", f"统计期间不能超过{MAX_DAYS}天。")
        data["period"] = Period(start, end)
        return data

    def period(self) -> Period:
        if self.is_valid():
            return self.cleaned_data["period"]
        return Period.last_days(DEFAULT_DAYS)


NUMBER_SEPARATORS = re.compile(r"[\s,，、;；]+")
MAX_CASES = 500


class PolicyFixForm(Styled):
    title = forms.CharField(label="制度完善事项", max_length=200, error_messages=required("制度完善事项"))
    description = forms.CharField(
        label="完善内容",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required("完善内容"),
        help_text="针对信访反映的共性问题，制定或修订了哪些制度、措施",
    )
    unit = forms.ModelChoiceField(label="责任部门", queryset=Unit.objects.all())
    adopted_on = forms.DateField(
        label="出台日期", widget=DATE, validators=[validate_in_range], error_messages=required("出台日期")
    )
    reference = forms.CharField(label="文件名称或文号", max_length=200, required=False)
    case_numbers = forms.CharField(
        label="相关信访件编号",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=required("相关信访件编号"),
        help_text="多个编号用空格、逗号或换行分隔，如 2026-0012 2026-0031",
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = Unit.objects.order_by("code")
        self.fields["unit"].error_messages["invalid_choice"] = "请选择有效的责任部门。"

    def clean_adopted_on(self):
        day = self.cleaned_data["adopted_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("出台日期不能晚于今天。")
        return day

    def clean_case_numbers(self) -> list[Case]:
        numbers = list(dict.fromkeys(n for n in NUMBER_SEPARATORS.split(self.cleaned_data["case_numbers"]) if n))
        if not numbers:
            raise forms.ValidationError("请填写至少一个信访件编号。")
        if len(numbers) > MAX_CASES:
            raise forms.ValidationError(f"一次最多关联{MAX_CASES}件信访件。")
        found = {c.number: c for c in dashboard_cases(user=self.user).filter(number__in=numbers).only("pk", "number")}
        missing = [n for n in numbers if n not in found]
        if missing:
            # out of scope and non-existent read the same: the form must not reveal either
            raise forms.ValidationError(f"以下编号不存在或不在您的查看范围内：{'、'.join(missing)}")
        return [found[n] for n in numbers]
