from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from core.forms import Styled, StyledMixin


class LoginForm(StyledMixin, AuthenticationForm):
    """Django's log-in form, in the project's words (templates/people/login.html shows
    them). A failure says the same whether the name or the password was wrong; a locked
    pair never gets here (django-axes answers with people/locked_out.html)."""

    error_messages = {
        "invalid_login": "用户名或密码不正确，请重新输入。",
        "inactive": "该账号已停用，请联系信访办或系统管理员。",
    }


class TokenForm(Styled):
    token = forms.CharField(
        label="动态验证码",
        min_length=6,
        max_length=6,
        help_text="身份验证器（如“腾讯身份验证器”“Microsoft Authenticator”）显示的6位数字。",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True, "pattern": "[0-9]{6}"}
        ),
        error_messages={
            "required": "请输入6位动态验证码。",
            "min_length": "请输入6位数字。",
            "max_length": "请输入6位数字。",
        },
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError("动态验证码只包含数字。")
        return token
