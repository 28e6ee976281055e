from django import forms

from core.forms import Styled


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
            MaxValueValidator(max_days, message=f"延期不得超过 {max_days} 日（条例第三十四条）。")
        )
        self.fields["days"].help_text = f"最多 {max_days} 日（条例第三十四条）"
        self.fields["days"].widget.attrs["max"] = max_days


class ExtensionDecisionForm(Styled):
    decision = forms.ChoiceField(
        label="审批意见",
        choices=[("approve", "批准"), ("reject", "不批准")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择批准或不批准。"},
    )
    note = forms.CharField(label="意见", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
