"""What every app's forms share: Bootstrap classes on the widgets, so that templates stay
plain, and Chinese messages that name the field in place of Django's own ("这个字段是必填项。",
"选择一个有效的选项。…", "确保该值不超过…"), so that whatever a person gets wrong reads
as a sentence about the field they typed in (issue 14 point 9)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db.models.fields import BLANK_CHOICE_DASH

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The empty choice of every dropdown; a filter's reads 全部 instead, set where it is made.
EMPTY_LABEL = "请选择"
_DJANGO_EMPTY_LABEL = BLANK_CHOICE_DASH[0][1]

# A hidden field has no name a person knows: it fails only when the page is stale or
# was tampered with.
HIDDEN_FIELD = "页面已失效，请刷新页面后重新提交。"


def required(label: str) -> dict:
    """error_messages for a required field: 请填写{label}。"""
    return {"required": f"请填写{label}。"}


def _invalid(field: forms.Field, noun: str) -> str:
    """What "invalid" means for this kind of field."""
    if isinstance(field, forms.DateTimeField):
        return f"{noun}应为有效的日期和时间，请按 年-月-日 时:分 填写。"
    if isinstance(field, forms.DateField):
        return f"{noun}应为有效日期，请按 年-月-日 填写。"
    if isinstance(field, forms.TimeField):
        return f"{noun}应为有效时间，请按 时:分 填写。"
    if isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField | forms.FloatField):
        return f"{noun}应为整数。"
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return f"{noun}应为数字。"
    if isinstance(field, forms.EmailField):
        return f"{noun}应为有效的电子邮箱地址。"
    if isinstance(field, forms.URLField):
        return f"{noun}应为有效的网址。"
    if isinstance(field, forms.FileField):
        return f"{noun}未能上传，请重新选择文件。"
    if isinstance(field, forms.DurationField):
        return f"{noun}应为有效的时长。"
    return f"{noun}填写有误，请核对后重新填写。"


def chinese_messages(field: forms.Field, noun: str) -> dict[str, str]:
    """The Chinese for every code a field or one of Django's validators can raise,
    naming the field as `noun`. The %(…)s are the parameters Django passes with each."""
    noun = noun.replace("%", "\uff05")  # a label's % must not read as a parameter
    if isinstance(field, forms.FileField):
        missing = f"请选择要上传的{noun}。"
    elif isinstance(field, forms.BooleanField):
        missing = f"请勾选{noun}。"
    elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        missing = f"请选择{noun}。"
    else:
        missing = f"请填写{noun}。"
    from_list = f"请从列表中选择{noun}。" if isinstance(field.widget, forms.Select) else f"请从列出的选项中选择{noun}。"
    return {
        "required": missing,
        "invalid": _invalid(field, noun),
        "invalid_choice": from_list,
        "invalid_list": from_list,
        "invalid_pk_value": from_list,
        "max_length": (
            f"{noun}的文件名不能超过 %(max)d 个字符（现有 %(length)d 个）。"
            if isinstance(field, forms.FileField)
            else f"{noun}不能超过 %(limit_value)d 字（现有 %(show_value)d 字）。"
        ),
        "min_length": f"{noun}至少 %(limit_value)d 字（现有 %(show_value)d 字）。",
        "max_value": f"{noun}不能超过 %(limit_value)s。",
        "min_value": f"{noun}不能少于 %(limit_value)s。",
        "step_size": f"{noun}应为 %(limit_value)s 的整数倍。",
        "max_digits": f"{noun}最多 %(max)s 位数字。",
        "max_decimal_places": f"{noun}最多保留 %(max)s 位小数。",
        "max_whole_digits": f"{noun}的整数部分最多 %(max)s 位。",
        "null_characters_not_allowed": f"{noun}含有无法保存的空字符，请删除后重新填写。",
        "missing": f"{noun}未能上传，请重新选择文件。",
        "empty": f"所选的{noun}是空文件，请重新选择。",
        "contradiction": f"{noun}：请上传新文件或勾选清除，不能同时进行。",
        "invalid_image": f"{noun}应为有效的图片文件。",
        "invalid_extension": f"{noun}的文件类型不允许。",
        "overflow": f"{noun}超出可填写的范围。",
        "incomplete": f"请填写完整的{noun}。",
        "invalid_date": f"{noun}的日期应为有效日期，请按 年-月-日 填写。",
        "invalid_time": f"{noun}的时间应为有效时间，请按 时:分 填写。",
        "unique": f"已有相同{noun}的记录。",
    }


def _django_defaults(field: forms.Field) -> dict:
    """The messages Django gave the field, as Field.__init__ collects them."""
    defaults: dict = {}
    for cls in reversed(type(field).__mro__):
        if cls.__module__.startswith("django."):
            defaults.update(getattr(cls, "default_error_messages", {}))
    return defaults


def _validator_codes(validators: list) -> list[str]:
    """The codes of those of Django's validators that still say Django's words."""
    codes: list[str] = []
    for validator in validators:
        if not type(validator).__module__.startswith("django."):
            continue  # the project's own (cases.validators) speak Chinese already
        if "message" in vars(validator):
            continue  # given its own message where it was made
        messages = getattr(validator, "messages", None)
        codes.extend(messages if isinstance(messages, dict) else [getattr(validator, "code", "invalid")])
    return codes


def fill_messages(field: forms.Field, noun: str, extra_validators: list | tuple = ()) -> None:
    """Put Chinese in place of every message the field still has from Django, and give
    Django's validators on it (whose messages Field.run_validators replaces by code) and
    `extra_validators` (a ModelForm's model field's, mapped the same way by
    ModelForm._update_errors) Chinese ones. A message a form sets itself is left alone."""
    if noun:
        chinese, generic = chinese_messages(field, noun), f"{noun}填写有误，请核对后重新填写。"
    else:
        chinese, generic = dict.fromkeys(chinese_messages(field, ""), HIDDEN_FIELD), HIDDEN_FIELD
    defaults = _django_defaults(field)
    for code, message in field.error_messages.items():
        default = defaults.get(code)
        if default is not None and (message is default or str(message) == str(default)):
            field.error_messages[code] = chinese.get(code, generic)
    for code in _validator_codes([*field.validators, *extra_validators]):
        field.error_messages.setdefault(code, chinese.get(code, generic))
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == _DJANGO_EMPTY_LABEL:
            field.empty_label = EMPTY_LABEL
    elif isinstance(field, forms.ChoiceField):
        choices = list(cast(Iterable[tuple[Any, Any]], field.choices))
        if ("", _DJANGO_EMPTY_LABEL) in choices:
            field.choices = [("", EMPTY_LABEL) if c == ("", _DJANGO_EMPTY_LABEL) else c for c in choices]


def _style(widget: forms.Widget) -> None:
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return  # the attrs would land on the wrapping <div>; .choice-group styles them
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    widget.attrs.setdefault("class", css)


if TYPE_CHECKING:
    _FormBase = forms.BaseForm  # what the mixin is mixed into, for the type checker
else:
    _FormBase = object


class StyledMixin(_FormBase):
    """Bootstrap classes on every widget, and Chinese messages on every field. The
    messages are filled once more before validation, for the fields a form adds or
    changes after its __init__ (cases.forms.ReplyForm's 采纳情况)."""

    # The name a message calls a field by, where its label does not stand on its own
    # (a date range's 至: "收到日期的截止日应为有效日期…").
    message_names: ClassVar[dict[str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _style(field.widget)
        self.fill_messages()

    def full_clean(self) -> None:
        self.fill_messages()
        super().full_clean()

    def fill_messages(self) -> None:
        for name, field in self.fields.items():
            fill_messages(
                field,
                "" if field.widget.is_hidden and not field.label else self.message_name(name),
                self.model_validators(name),
            )

    def model_validators(self, name: str) -> list:
        """The validators of the model field behind `name` (StyledModelForm)."""
        return []

    def message_name(self, name: str) -> str:
        """The field's name in a message: the form's own, or its label without a
        trailing （…） (附件（扫描件、照片） is 附件)."""
        if name in self.message_names:
            return self.message_names[name]
        label = str(self.fields[name].label or name)
        return re.sub(r"（[^（）]*）$", "", label).rstrip("：:") or label


class Styled(StyledMixin, forms.Form):
    """The base of the project's forms."""


class StyledModelForm(StyledMixin, forms.ModelForm):
    """The base of the project's ModelForms: the model's own checks (its fields'
    validators, a unique field) say it in Chinese too."""

    def fill_messages(self) -> None:
        super().fill_messages()
        for name, field in self.fields.items():
            model_field = self._model_field(name)
            if model_field is not None and model_field.unique:
                field.error_messages.setdefault("unique", f"已有相同{self.message_name(name)}的记录。")

    def model_validators(self, name: str) -> list:
        model_field = self._model_field(name)
        return model_field.validators if model_field is not None else []

    def _model_field(self, name: str):
        try:
            return self._meta.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
