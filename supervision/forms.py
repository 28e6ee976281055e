"""Forms for notices, answers, the 不满意 review and 复查/复核; messages in Chinese."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from cases.forms import MultipleFileField
from core.forms import DATE, EMPTY_LABEL, Styled, required
from people.models import Unit

from .models import Adoption, Form, Level, Notice, ReviewRequest, Trigger


class NoticeForm(Styled):
    trigger = forms.ModelChoiceField(label="督办情形", queryset=Trigger.objects.filter(is_active=True))
    unit = forms.ModelChoiceField(label="督办部门", queryset=Unit.objects.none())
    form = forms.ChoiceField(label="督办方式", choices=Form.choices, initial=Form.ONLINE)
    reason = forms.CharField(label="督办事由", max_length=200, required=False, help_text="不填则以督办情形为事由")
    requirements = forms.CharField(
        label="督办要求", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    suggestions = forms.CharField(
        label="改进建议",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="《信访工作条例》第四十条：承办部门须书面反馈采纳情况",
    )
    feedback_due = forms.DateField(
        label="反馈期限", widget=DATE, required=False, help_text="不填则按督办反馈时限（7个工作日）计算"
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            ids = [case.main_unit_id, *case.co_units.values_list("pk", flat=True)]
            self.fields["unit"].queryset = Unit.objects.filter(pk__in=[i for i in ids if i]).exclude(
                pk__in=case.accused_units.values("pk")
            )
            self.fields["unit"].initial = case.main_unit_id

    def clean_feedback_due(self):
        day = self.cleaned_data.get("feedback_due")
        if day and day < timezone.localdate():
            raise forms.ValidationError("反馈期限不能早于今天。")
        return day


class AnswerForm(Styled):
    answer = forms.CharField(
        label="书面反馈（办理情况）",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=required("书面反馈的办理情况"),
        help_text="在规定时限内不能办结的，请说明原因（seed 000 §四.7(3)）",
    )
    adoption = forms.ChoiceField(
        label="改进建议采纳情况", choices=[("", EMPTY_LABEL), *Adoption.choices], required=False
    )
    adoption_note = forms.CharField(
        label="未采纳或部分采纳的原因", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachments = MultipleFileField(label="附件（反馈材料）", required=False)

    def __init__(self, *args, notice: Notice | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = notice
        if notice is not None and not notice.suggestions.strip():
            del self.fields["adoption"], self.fields["adoption_note"]

    def clean(self):
        data = super().clean()
        if "adoption" in self.fields:
            adoption = data.get("adoption")
            if not adoption:
                self.add_error("adoption", "请说明对改进建议的采纳情况（《信访工作条例》第四十条）。")
            elif adoption != Adoption.ADOPTED and not (data.get("adoption_note") or "").strip():
                self.add_error("adoption_note", "未采纳或部分采纳的，请写明原因。")
        return data


class ReasonForm(Styled):
    reason = forms.CharField(
        label="理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), error_messages=required("理由")
    )


class NoteForm(Styled):
    reason = forms.CharField(label="意见", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DissatisfactionForm(Styled):
    inadequate = forms.TypedChoiceField(
        label="研判结果",
        choices=[("0", "处理到位，不督办"), ("1", "处理不到位，发出督办单")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="研判意见",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("研判意见"),
    )
    form = forms.ChoiceField(label="督办方式", choices=Form.choices, initial=Form.ONLINE, required=False)
    requirements = forms.CharField(
        label="督办要求", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewRequestForm(Styled):
    received_on = forms.DateField(
        label="收到申请日期", widget=DATE, initial=timezone.localdate, error_messages=required("收到申请日期")
    )
    request_text = forms.CharField(
        label="请求事项及理由",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required("请求事项及理由"),
    )
    body = forms.CharField(
        label="复查（复核）机关",
        max_length=100,
        error_messages=required("复查（复核）机关"),
        help_text="原办理机关、单位的上一级机关、单位（《信访工作条例》第三十五、三十六条）",
    )


class ReviewOpinionForm(Styled):
    decision = forms.ChoiceField(label="结论", choices=ReviewRequest.Decision.choices, widget=forms.RadioSelect)
    opinion = forms.CharField(
        label="意见", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), error_messages=required("意见")
    )
    decided_on = forms.DateField(
        label="意见日期", widget=DATE, initial=timezone.localdate, error_messages=required("意见日期")
    )


class BoardFilterForm(Styled):
    STATUS = [("open", "未办结"), ("", "全部"), *Notice.Status.choices]
    LATE = [("", "全部"), ("yes", "反馈逾期"), ("no", "未逾期")]

    unit = forms.ModelChoiceField(label="部门", queryset=Unit.objects.all(), required=False, empty_label="全部")
    level = forms.TypedChoiceField(
        label="级别", choices=[("", "全部"), *Level.choices], coerce=int, required=False, empty_value=None
    )
    status = forms.ChoiceField(label="状态", choices=STATUS, required=False, initial="open")
    late = forms.ChoiceField(label="逾期", choices=LATE, required=False)
    trigger = forms.ModelChoiceField(
        label="督办情形", queryset=Trigger.objects.all(), required=False, empty_label="全部"
    )
