"""Validation of what a clerk types, with messages in Chinese."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

# 手机 (1 + 10 digits); a landline with its area code (0731-88888888), or a local one
# of 7–8 digits that never starts with 0 or 1; an optional extension after a hyphen.
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?[2-9]\d{6,7}(-\d{1,6})?|[2-9]\d{6,7}(-\d{1,6})?)$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CODES = "10X98765432"


def validate_phone(value: str) -> None:
    if not PHONE_RE.match(value.strip()):
        raise ValidationError(
            "联系电话格式不正确：请填写 11 位手机号，或带区号的固定电话（如 0731-88888888）。",
            code="phone",
        )


def id_number_checksum(first17: str) -> str:
    """GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CODES[total % 11]


def validate_id_number(value: str) -> None:
    value = value.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise ValidationError("身份证号应为 18 位：前 17 位数字，最后一位为数字或 X。", code="id_format")
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError("身份证号中的出生日期无效。", code="id_birth") from None
    if id_number_checksum(value[:17]) != value[17]:
        raise ValidationError("身份证号校验位不正确，请核对后重新填写。", code="id_checksum")


def validate_not_future(value: date) -> None:
    if value > timezone.localdate():
        raise ValidationError("收到日期不能晚于今天。", code="future")
