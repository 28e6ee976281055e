from django import forms

from core.forms import StyledModelForm

from .models import Preference


class PreferenceForm(StyledModelForm):
    """The channels a person chooses (the in-app list is always on)."""

    class Meta:
        model = Preference
        fields = ["by_mail", "by_sms", "by_robot", "digest"]
        widgets = {
            "by_mail": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "by_sms": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "by_robot": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "digest": forms.RadioSelect,
        }
        error_messages = {
            "digest": {"invalid_choice": "请从列出的发送方式中选择一项。", "required": "请选择发送方式。"}
        }
        help_texts = {
            "by_mail": "发送到本人邮箱",
            "by_sms": "发送到本人手机，只含事项和编号，不含信访内容",
            "by_robot": "由本部门工作群机器人 @ 本人，只含事项和编号",
        }
