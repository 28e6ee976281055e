from django import forms

from core.forms import DATE, Styled


class ExtensionRequestForm(Styled):
    days = forms.IntegerField(
        label="延期天数",
        min_value=1,
        error_messages={"required": "请填写延期天数。", "min_value": "延期天数至少为 1 日。"},
    )
    reason = forms.CharField(
        label="延期理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明延期理由。"},
    )

    def __init__(self, *args, max_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        from django.core.validators import MaxValueValidator

        self.fields["days"].validators.append(
            MaxValueValidator(max_days, message=f"延期天数不得超过 {max_days} 日（《信访工作条例》第三十四条）。")
        )
        self.fields["days"].help_text = f"最多 {max_days} 日（《信访工作条例》第三十四条）"
        self.fields["days"].widget.attrs["max"] = max_days


class ExtensionDecisionForm(Styled):
    decision = forms.ChoiceField(
        label="审批意见",
        choices=[("approve", "批准"), ("reject", "不批准")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择批准或不批准。"},
    )
    note = forms.CharField(label="意见", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionProposalForm(Styled):
    opinion = forms.CharField(
        label="信访办意见",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写信访办意见。"},
        help_text="呈报院领导审批（《信访工作条例》第三十四条：经本机关、单位负责人批准）",
    )


class ExtensionSuperiorForm(Styled):
    """The superior's decision on a 12345 work order's extension, as the office records it."""

    decision = forms.ChoiceField(
        label="市教育局批复",
        choices=[("approve", "同意延期"), ("reject", "不同意延期")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择上级是否同意延期。"},
    )
    decided_on = forms.DateField(
        label="批复日期",
        widget=DATE,
        error_messages={"required": "请填写批复日期。", "invalid": "请按 年-月-日 填写批复日期。"},
    )
    reference = forms.CharField(
        label="批复文号",
        max_length=64,
        error_messages={"required": "请填写批复文号（工单号或批复编号）。"},
    )
    note = forms.CharField(label="说明", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
