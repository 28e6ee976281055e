"""The dashboard's main page (总览): key figures and charts for a period and a scope."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.validators import FIRST_DAY, LAST_DAY, validate_in_range
from core.forms import DATE, Styled

from . import figures, periods
from .scope import dashboard_units, is_whole_school, require_dashboard

YEAR_OUT_OF_RANGE = f"年度超出可查询范围（{FIRST_DAY.year}年至{LAST_DAY.year}年）。"


class PeriodForm(Styled):
    """The period and the unit; every value optional (this year to date, the whole scope)."""

    message_names = {"start": "期间的起始日", "end": "期间的截止日"}

    period = forms.ChoiceField(label="期间", choices=periods.PERIODS, required=False)
    # years and dates within cases.validators.FIRST_DAY–LAST_DAY: past them a period's
    # arithmetic overflows; out of range is a Chinese error in place (issue 13 point 10)
    year = forms.IntegerField(
        label="年度",
        min_value=FIRST_DAY.year,
        max_value=LAST_DAY.year,
        required=False,
        error_messages={
            "min_value": YEAR_OUT_OF_RANGE,
            "max_value": YEAR_OUT_OF_RANGE,
            "invalid": "请填写年度，如 2026。",
        },
    )
    start = forms.DateField(label="自", required=False, widget=DATE, validators=[validate_in_range])
    end = forms.DateField(label="至", required=False, widget=DATE, validators=[validate_in_range])
    unit = forms.ModelChoiceField(label="部门", queryset=None, required=False, empty_label="全部")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = dashboard_units(user)
        if is_whole_school(user):
            self.fields["unit"].empty_label = "全校"

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom" and not {"start", "end"} & self.errors.keys():
            if not data.get("start") or not data.get("end"):
                self.add_error("end", "自定义期间请填写起止日期。")
            elif data["start"] > data["end"]:
                self.add_error("end", "结束日期不能早于开始日期。")
        return data

    def chosen(self) -> tuple[periods.Period, object]:
        if not self.is_bound or not self.is_valid():
            return periods.make_period(), None
        d = self.cleaned_data
        period = periods.make_period(
            d.get("period") or "ytd", year=d.get("year"), start=d.get("start"), end=d.get("end")
        )
        return period, d.get("unit")


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    require_dashboard(request.user)
    form = PeriodForm(request.GET or None, user=request.user)
    period, unit = form.chosen()
    data = figures.dashboard(user=request.user, unit=unit, period=period)
    return render(
        request,
        "dashboard/home.html",
        {"form": form, "period": period, "unit": unit, "whole_school": is_whole_school(request.user), **data},
    )
