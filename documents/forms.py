"""The ledger's and the archive's forms; every bad value gets a message in place."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import models as m
from cases.attachments import ALLOWED_LABEL, check_upload
from core.forms import DATE, Styled
from people.models import Unit, User

from .ledger import EXTRA_COLUMNS, LedgerQuery
from .models import DeliveryWay, Document
from .services import delivery_errors


class LedgerForm(Styled):
    """The ledger export's filters (issue 5); every bad value gets a message in place."""

    message_names = {"date_from": "收到日期的起始日", "date_to": "收到日期的截止日"}

    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=2000,
        error_messages={"invalid": "年度应为四位数字，如 2026。", "min_value": "年度不能早于 2000 年。"},
    )
    date_from = forms.DateField(label="收到日期自", widget=DATE, required=False)
    date_to = forms.DateField(label="至", widget=DATE, required=False)
    unit = forms.ModelChoiceField(
        label="答复（主办）部门",
        queryset=Unit.objects.all(),
        required=False,
        empty_label="全部",
        error_messages={"invalid_choice": "请选择列表中的部门。"},
    )
    channel = forms.ChoiceField(label="渠道", choices=[("", "全部"), *m.Channel.choices], required=False)
    kind = forms.ChoiceField(label="类型", choices=[("", "全部"), *m.Kind.choices], required=False)
    state = forms.MultipleChoiceField(
        label="状态", choices=m.State.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    extra = forms.MultipleChoiceField(
        label="附加列（排在十个规定列之后）", choices=[], required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extra"].choices = [(k, c.header) for k, c in EXTRA_COLUMNS.items()]
        self.user = user
        if user is not None and user.is_unit_staff:
            # a unit exports its own ledger (the two-level system, seed 003)
            self.fields["unit"].queryset = Unit.objects.filter(pk=user.unit_id)
            self.fields["unit"].empty_label = None

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year and year > timezone.localdate().year + 1:
            raise ValidationError("年度不能晚于明年。")
        return year

    def clean(self):
        data = super().clean()
        year, start, end = data.get("year"), data.get("date_from"), data.get("date_to")
        if not (year or start or end) and not self.errors:
            raise ValidationError("请选择年度，或填写收到日期的起止范围。")
        if start and end and start > end:
            self.add_error("date_to", "结束日期不能早于开始日期。")
        if year:
            for key in ("date_from", "date_to"):
                day = data.get(key)
                if day and day.year != year:
                    self.add_error(key, f"日期应在 {year} 年内，或不选年度。")
        return data

    def query(self):
        d = self.cleaned_data
        unit = d.get("unit")
        if self.user is not None and self.user.is_unit_staff:
            unit = self.user.unit
        return LedgerQuery(
            year=d.get("year"),
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            unit_id=unit.pk if unit else None,
            channel=d.get("channel") or "",
            kind=d.get("kind") or "",
            states=list(d.get("state") or []),
            extra=list(d.get("extra") or []),
        )


class ArchiveForm(Styled):
    year = forms.IntegerField(
        label="年度",
        min_value=2000,
        error_messages={
            "required": "请填写归档年度。",
            "invalid": "年度应为四位数字，如 2026。",
            "min_value": "年度不能早于 2000 年。",
        },
    )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise ValidationError("只能归档今年及以前的年度。")
        return year


class DeliveryForm(Styled):
    """A delivery (送达) of one document; each document's form on the case page has its own
    prefix, so several can sit on one page and a refused one comes back with what was typed."""

    way = forms.ChoiceField(
        label="送达方式",
        choices=[("", "请选择"), *DeliveryWay.choices],
        error_messages={"required": "请选择送达方式。", "invalid_choice": "请选择列表中的送达方式。"},
    )
    delivered_on = forms.DateField(
        label="送达日期",
        widget=DATE,
        error_messages={"required": "请填写送达日期。"},
    )
    tracking_number = forms.CharField(
        label="邮件单号", max_length=60, required=False, help_text="邮寄送达必填", strip=True
    )
    proof = forms.FileField(label="送达凭证", required=False, help_text=f"签收回执扫描件、截图等；{ALLOWED_LABEL}")
    note = forms.CharField(label="备注", max_length=500, required=False)

    def __init__(self, *args, document: Document, **kwargs):
        kwargs.setdefault("prefix", f"delivery-{document.pk}")
        kwargs.setdefault("initial", {"delivered_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.document = document

    def clean_proof(self):
        proof = self.cleaned_data.get("proof")
        if proof:
            check_upload(proof)  # a ValidationError in Chinese, shown at the field
        return proof

    def clean(self):
        data = super().clean()
        errors = delivery_errors(
            self.document,
            way=data.get("way") or "",
            delivered_on=data.get("delivered_on"),
            tracking_number=data.get("tracking_number") or "",
        )
        for field, message in errors.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class DraftForm(Styled):
    """A draft's text: one paragraph a line, "一、" headings on lines of their own."""

    text = forms.CharField(
        label="正文",
        widget=forms.Textarea(attrs={"rows": 16}),
        strip=True,
        error_messages={"required": "正文不能为空。"},
        help_text="每段一行；以“一、”“二、”开头的行印为小标题；首行以“：”结尾的印为抬头。文号在签发时编定。",
    )
