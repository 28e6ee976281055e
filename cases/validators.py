"""Validation of what a clerk types, with messages in Chinese.

What is typed is normalised before it is validated, stored or matched (issue 13 point 9):
a phone number or an ID number typed with full-width digits, spaces, hyphens, a `+86` or
a zero-width character copied from a chat is the same number, so one person stays one
petitioner. Every place that matches a petitioner (the registration form, the service
that finds or creates the petitioner, the similar-case panel and the list search) calls
the same `normalise_…` function. STYLE.md: "Chinese in what people read", "Shared
ground is small and boring" — these are pure functions, no database.
"""

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

# 手机 (1 + 10 digits); a landline with its area code (0731-88888888), or a local one
# of 7–8 digits that never starts with 0 or 1; an optional extension after a hyphen.
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?[2-9]\d{6,7}(-\d{1,6})?|[2-9]\d{6,7}(-\d{1,6})?)$")
MOBILE_RE = re.compile(r"1[3-9]\d{9}")
# 区号: 010 and 02x have three digits, every other one four (0731, 0311).
LANDLINE_RE = re.compile(r"(0[12]\d|0[3-9]\d{2})?([2-9]\d{6,7})")
ID_RE = re.compile(r"\d{17}[\dX]")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CODES = "10X98765432"

# Dashes NFKC leaves alone (it folds only the full-width and small ones).
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
# What people put between the groups of a phone number: spaces (any width), brackets
# round the area code, dots, middle dots.
_PHONE_SEPARATORS = re.compile(r"[\s()\[\].\u00b7]+")
_ID_SEPARATORS = re.compile(r"[\s\-.\u00b7]+")


def _fold(value: str | None) -> str:
    """NFKC (full-width digits and letters become ASCII), without the invisible format
    characters (zero-width space and joiners, BOM, soft hyphen, direction marks)."""
    text = unicodedata.normalize("NFKC", value or "")
    return "".join(c for c in text if unicodedata.category(c) != "Cf").translate(_DASHES)


def normalise_name(value: str | None) -> str:
    """A petitioner's name as matched and stored: folded, its spaces collapsed."""
    return " ".join(_fold(value).split())


def normalise_phone(value: str | None) -> str:
    """A phone number as matched and stored: a mobile as its 11 digits (13800138000), a
    landline as 区号-号码[-分机] (0731-88888888). "+86 138-0013-8000", the same in full-width
    digits, "138 0013 8000" and "8613800138000" are all 13800138000. The 86 without a plus is
    taken as the country code only when an 11-digit mobile follows, so a local number
    that happens to start with 86 is left alone. What cannot be read as a number is
    returned folded, for validate_phone to refuse."""
    text = _PHONE_SEPARATORS.sub("", _fold(value))
    international = text.startswith(("+86", "0086"))
    if international:
        text = text.removeprefix("+86").removeprefix("0086").lstrip("-")
    text = re.sub(r"-+", "-", text).strip("-")
    digits = text.replace("-", "")
    if not international and digits.startswith("86") and MOBILE_RE.fullmatch(digits[2:]):
        return digits[2:]
    if MOBILE_RE.fullmatch(digits):
        return digits
    if international and digits[:1] not in ("0", "1"):
        # +86 731 8888 8888: the area code loses its 0 when dialled from abroad
        text, digits = "0" + text, "0" + digits
    return _landline(text, digits) or text


def _landline(text: str, digits: str) -> str:
    """区号-号码, 号码, or either with -分机 (the part after the last hyphen, when what is
    before it is a whole number); "" when it is none of those."""
    found = LANDLINE_RE.fullmatch(digits)
    extension = ""
    if found is None:
        head, hyphen, extension = text.rpartition("-")
        if not hyphen or not 1 <= len(extension) <= 6 or not extension.isdigit():
            return ""
        found = LANDLINE_RE.fullmatch(head.replace("-", ""))
        if found is None:
            return ""
    area, number = found.groups()
    return "-".join(part for part in (area, number, extension) if part)


def normalise_id_number(value: str | None) -> str:
    """A 居民身份证号 as matched and stored: folded (full-width digits and letters become
    ASCII), without spaces or hyphens, the check character an upper-case X."""
    return _ID_SEPARATORS.sub("", _fold(value)).upper()


def validate_phone(value: str) -> None:
    if not PHONE_RE.match(normalise_phone(value)):
        raise ValidationError(
            "联系电话格式不正确：请填写 11 位手机号，或带区号的固定电话（如 0731-88888888）。",
            code="phone",
        )


def id_number_checksum(first17: str) -> str:
    """GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CODES[total % 11]


def validate_id_number(value: str) -> None:
    value = normalise_id_number(value)
    if not ID_RE.fullmatch(value):
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


# The dates anyone may ask about or record. The school's petitions start well after 2000;
# near year 1 or 9999 the date arithmetic of a period (the one before it, the day after
# its end) overflows, and a query for them is a typing slip (issue 13 point 10).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
OUT_OF_RANGE = f"日期超出可查询范围（{FIRST_DAY.year}年至{LAST_DAY.year}年）。"


def validate_in_range(value: date) -> None:
    """A date filter or a date recorded lies between FIRST_DAY and LAST_DAY."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError(OUT_OF_RANGE, code="date_range")
