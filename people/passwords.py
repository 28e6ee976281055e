"""Django's minimum-length rule, saying so in Chinese: its own message has no
Simplified Chinese translation for the plural form and would show in English."""

from __future__ import annotations

from django.contrib.auth.password_validation import MinimumLengthValidator


class MinimumLength(MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"密码太短，至少需要 {self.min_length} 个字符（可以是一句好记的话，空格和汉字都算）。"

    def get_help_text(self) -> str:
        return f"密码至少 {self.min_length} 个字符；不要求大小写或符号，但不能是常见密码或纯数字。"
