from __future__ import annotations

from django import forms

from core.forms import DATE, Styled
from core.sources import cite
from people.models import Unit, User

from .models import AccountabilityCase, Appeal, Ground, Measure, MeasureKind

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class FilterForm(Styled):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *AccountabilityCase.Status.choices])
    subject = forms.ChoiceField(
        label="对象", required=False, choices=[("", "全部"), ("unit", "单位"), ("person", "人员")]
    )


class OpenForm(Styled):
    subject_type = forms.ChoiceField(
        label="被追责对象类别", choices=[("unit", "单位"), ("person", "人员")], widget=forms.RadioSelect
    )
    subject_unit = forms.ModelChoiceField(
        label="被追责单位", queryset=Unit.objects.filter(is_active=True), required=False
    )
    subject_user = forms.ModelChoiceField(
        label="被追责人员", queryset=User.objects.filter(is_active=True).order_by("username"), required=False
    )
    grounds = forms.ModelMultipleChoiceField(
        label="追责情形",
        queryset=Ground.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择至少一项追责情形。"},
    )
    facts = forms.CharField(
        label="事实经过",
        widget=TEXTAREA,
        error_messages={"required": "请填写事实经过。"},
        # the subject reads the facts; the 举报 behind them stays hidden from them
        help_text="被追责单位负责人或被追责人员可以看到事实经过。来源于举报的，请勿写入举报人、举报件编号及举报内容"
        "（《信访工作条例》第三十条）。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grounds"].label_from_instance = lambda g: f"{g.name}（{cite(g.citation)}）"

    def clean(self):
        data = super().clean()
        kind = data.get("subject_type")
        if kind == "unit" and not data.get("subject_unit"):
            self.add_error("subject_unit", "请选择被追责单位。")
        if kind == "person" and not data.get("subject_user"):
            self.add_error("subject_user", "请选择被追责人员。")
        if kind == "unit":
            data["subject_user"] = None
        elif kind == "person":
            data["subject_unit"] = None
        return data


class ReasonForm(Styled):
    reason = forms.CharField(label="理由", widget=TEXTAREA, error_messages={"required": "请填写理由。"})


class ProposeForm(Styled):
    kinds = forms.MultipleChoiceField(
        label="追责方式（可合并使用）",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择至少一项追责方式。"},
    )
    reason = forms.CharField(label="建议理由", widget=TEXTAREA, error_messages={"required": "请填写建议理由。"})

    def __init__(self, *args, acase: AccountabilityCase, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(k.value, k.label) for k in map(MeasureKind, acase.measure_kinds)]


class DecideForm(Styled):
    measure = forms.ModelChoiceField(label="措施", queryset=Measure.objects.none())
    approve = forms.TypedChoiceField(
        label="决定",
        choices=[("1", "决定实施"), ("0", "不予采纳")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择决定。"},
    )
    note = forms.CharField(label="决定意见", widget=TEXTAREA, required=False)

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures


class RectifyForm(Styled):
    due = forms.DateField(label="整改期限", widget=DATE, error_messages={"required": "请填写整改期限。"})
    reason = forms.CharField(label="整改要求", widget=TEXTAREA, required=False)


class AppealForm(Styled):
    measure = forms.ModelChoiceField(label="申诉的措施", queryset=Measure.objects.none(), required=False)
    grounds = forms.CharField(label="申诉理由", widget=TEXTAREA, error_messages={"required": "请填写申诉理由。"})

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures


class AppealDecideForm(Styled):
    appeal = forms.ModelChoiceField(label="申诉", queryset=Appeal.objects.none())
    decision = forms.ChoiceField(
        label="处理结果",
        choices=[(Appeal.Decision.UPHELD, "维持原决定"), (Appeal.Decision.CHANGED, "变更原决定（另行登记更正）")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择处理结果。"},
    )
    opinion = forms.CharField(label="处理意见", widget=TEXTAREA, error_messages={"required": "请填写处理意见。"})

    def __init__(self, *args, appeals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appeal"].queryset = appeals


class DissentForm(Styled):
    """A dissent on record (seed 004 第十四条第二款): who, and what they said where."""

    person = forms.ModelChoiceField(
        label="提出反对意见的人员",
        queryset=User.objects.none(),
        error_messages={"required": "请选择人员。", "invalid_choice": "请选择列表中的人员。"},
    )
    statement = forms.CharField(
        label="反对意见及记录出处",
        widget=TEXTAREA,
        help_text="明确提出反对意见而未被采纳的，不承担领导责任。请写明意见内容和记录出处（如会议纪要）。",
        error_messages={"required": "请填写反对意见的内容及记录出处。"},
    )

    def __init__(self, *args, acase: AccountabilityCase, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(is_active=True).exclude(pk__in=acase.dissents.values("person_id"))
        if acase.subject_unit_id:
            people = people.filter(unit_id=acase.subject_unit_id)
        else:
            people = people.filter(pk=acase.subject_user_id)
        self.fields["person"].queryset = people.order_by("username")
