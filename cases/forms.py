"""Forms: they check what was typed and say what is wrong, in Chinese, next to the field."""

from __future__ import annotations

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone

from core.forms import DATE, EMPTY_LABEL, Styled, required
from people.models import Unit, User
from people.selectors import staff_in_directory, staff_label

from . import models as m
from .attachments import check_upload
from .conditions import barred_units
from .validators import (
    normalise_id_number,
    normalise_name,
    normalise_phone,
    validate_id_number,
    validate_in_range,
    validate_not_future,
    validate_phone,
)


class NormalisedField(forms.CharField):
    """A text field whose value is normalised (cases.validators) before its length and
    format are checked, so "+86 138-0013-8000" passes a 20-character limit and is stored
    as 13800138000 (issue 13 point 9). The browser may take `typed_length` characters,
    room for the spaces and hyphens people type."""

    def __init__(self, *, normalise, typed_length: int, **kwargs):
        self.normalise = normalise
        self.typed_length = typed_length
        super().__init__(**kwargs)

    def to_python(self, value) -> str:
        return self.normalise(super().to_python(value))

    def widget_attrs(self, widget) -> dict:
        attrs = super().widget_attrs(widget)
        if "maxlength" in attrs:
            attrs["maxlength"] = str(self.typed_length)
        return attrs


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        errors = []
        for f in files:
            try:
                check_upload(f)
            except ValidationError as e:
                errors.extend(e.messages)
        if errors:
            raise ValidationError(errors)
        return list(files)


class _StaffOptions:
    """The staff directory as a search box (static/js/staff-picker.js, which asks
    cases:staff_directory): the options are only the people picked so far, each read
    姓名 · 部门 · 职务 so that namesakes are told apart; the field's queryset checks
    what comes back."""

    def __init__(self, attrs=None):
        super().__init__({"data-staff-picker": reverse_lazy("cases:staff_directory"), **(attrs or {})})

    def optgroups(self, name, value, attrs=None):
        ids = [v for v in value if str(v).isdigit()]
        picked = [(u.pk, staff_label(u)) for u in staff_in_directory().filter(pk__in=ids)] if ids else []
        self.choices = picked if self.allow_multiple_selected else [("", EMPTY_LABEL), *picked]
        return super().optgroups(name, value, attrs)


class StaffPicker(_StaffOptions, forms.SelectMultiple):
    pass


class StaffPickerOne(_StaffOptions, forms.Select):
    pass


class _BarredOptions:
    """The units that must keep out of a 举报 (cases.conditions.barred_units) stay in the
    list, disabled and marked, so that the office sees why it cannot pick them
    (《信访工作条例》第三十条). A value posted anyway reaches the service, which refuses
    it and logs the attempt."""

    barred: dict[int, str]

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if getattr(value, "value", value) in getattr(self, "barred", {}):
            option["attrs"]["disabled"] = True
            option["label"] = f"{label}（须回避）"
        return option


class BarredSelect(_BarredOptions, forms.Select):
    pass


class BarredCheckboxes(_BarredOptions, forms.CheckboxSelectMultiple):
    pass


class RecusedSelect(forms.Select):
    """The people who stepped aside from the case (回避, 《信访工作条例》第二十八条) stay in
    the list, disabled and marked; a value posted anyway is refused by the service."""

    recused: set[int]

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if getattr(value, "value", value) in getattr(self, "recused", set()):
            option["attrs"]["disabled"] = True
            option["label"] = f"{label}（已回避）"
        return option


class CompletionForm(Styled):
    """补全登记: the petitioner's contact details a registration left out, which the
    written notice needs (《信访工作条例》第二十三条: no notice is owed only when the name or
    address is unknown). Same fields and checks as the registration form."""

    phone = NormalisedField(
        label="联系电话",
        max_length=20,
        required=False,
        validators=[validate_phone],
        normalise=normalise_phone,
        typed_length=32,
    )
    address = forms.CharField(label="住址", max_length=200, required=False)
    id_number = NormalisedField(
        label="身份证号",
        max_length=18,
        min_length=18,
        required=False,
        validators=[validate_id_number],
        normalise=normalise_id_number,
        typed_length=32,
        error_messages={"min_length": "身份证号应为 18 位。", "max_length": "身份证号应为 18 位。"},
    )
    organisation = forms.CharField(label="单位或班级", max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if not any((data.get(k) or "").strip() for k in ("phone", "address", "id_number", "organisation")):
            raise forms.ValidationError("请至少补全一项信访人信息。")
        return data


class RegistrationForm(Styled):
    """The clerk's form (seed 000 附件1 信访登记表). Keyboard order follows the paper form."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    # 信访人
    name = NormalisedField(
        label="信访人姓名",
        max_length=32,
        normalise=normalise_name,
        typed_length=40,
        error_messages=required("信访人姓名"),
    )
    phone = NormalisedField(
        label="联系电话",
        max_length=20,
        required=False,
        validators=[validate_phone],
        normalise=normalise_phone,
        typed_length=32,
    )
    id_number = NormalisedField(
        label="身份证号",
        max_length=18,
        min_length=18,
        required=False,
        validators=[validate_id_number],
        normalise=normalise_id_number,
        typed_length=32,
        error_messages={"min_length": "身份证号应为 18 位。", "max_length": "身份证号应为 18 位。"},
    )
    relation = forms.ChoiceField(label="与学校关系", choices=m.Petitioner.Relation.choices)
    organisation = forms.CharField(label="单位或班级", max_length=100, required=False)
    address = forms.CharField(label="住址", max_length=200, required=False)

    # 信访事项
    channel = forms.ChoiceField(label="信访渠道", choices=m.Channel.choices)
    source = forms.ChoiceField(label="来源", choices=m.Source.choices, initial=m.Source.SELF)
    superior_reference = forms.CharField(label="上级交办编号", max_length=64, required=False)
    superior_deadline = forms.DateField(label="上级办理期限", required=False, widget=DATE)
    sunshine_class = forms.ChoiceField(
        label="阳光平台事项分类",
        choices=[("", EMPTY_LABEL), *m.SunshineClass.choices],
        required=False,
        help_text="按教育阳光服务中心平台对该件的分类填写，办理时限依此计算。",
    )
    received_on = forms.DateField(
        label="收到日期",
        widget=DATE,
        validators=[validate_not_future],
        error_messages={**required("收到日期"), "invalid": "请按 年-月-日 填写收到日期。"},
    )
    kind = forms.ChoiceField(label="信访类型", choices=m.Kind.choices)
    topic = forms.ModelChoiceField(
        label="问题类别", queryset=m.Topic.objects.filter(is_active=True), required=False, empty_label=EMPTY_LABEL
    )
    summary = forms.CharField(
        label="反映的主要问题",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            **required("反映的主要问题"),
            "max_length": "反映的主要问题不能超过 %(limit_value)d 字（现有 %(show_value)d 字）。",
        },
    )
    content = forms.CharField(
        label="信访内容",
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": "信访内容不能超过 %(limit_value)d 字（现有 %(show_value)d 字）。"},
    )
    procedure = forms.ChoiceField(
        label="办理程序",
        choices=[
            ("", "按信访类型确定"),
            (m.Procedure.PETITION, m.Procedure.PETITION.label),
            (m.Procedure.SUGGESTION, m.Procedure.SUGGESTION.label),
        ],
        required=False,
        help_text="建议、表扬按建议意见类办理（《信访工作条例》第二十九条）；属于诉讼、仲裁、行政复议等法定途径的，受理前由信访办导入法定途径。",
    )
    complained_unit = forms.ModelChoiceField(
        label="被反映单位",
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        empty_label=EMPTY_LABEL,
    )

    gravity = forms.ChoiceField(
        label="事项等级",
        choices=m.Gravity.choices,
        required=False,
        initial=m.Gravity.ORDINARY,
        help_text="重大、特别重大事项呈报分管院领导并报告主要领导；特别重大事项的答复由主要领导审定。",
    )
    is_group = forms.BooleanField(label="集体访", required=False)
    group_size = forms.IntegerField(label="人数", required=False, min_value=2, max_value=10000)
    representatives = forms.CharField(
        label="推选代表",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "如：张三 13800138000（每行一人）"}),
        help_text="多人走访须推选代表，代表不超过5人（《信访工作条例》第二十条）。",
    )
    is_over_level = forms.BooleanField(label="越级访", required=False)
    is_leader_case = forms.BooleanField(label="领导包案", required=False)
    leader_in_charge = forms.ModelChoiceField(
        label="包案领导",
        queryset=User.objects.filter(role=User.Role.LEADER, is_active=True),
        required=False,
        empty_label=EMPTY_LABEL,
    )
    is_repeat = forms.BooleanField(label="重复信访", required=False)
    repeat_of_number = forms.CharField(label="原信访件编号", max_length=16, required=False)

    accused_units = forms.ModelMultipleChoiceField(
        label="被举报部门",
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accused_users = forms.ModelMultipleChoiceField(
        label="被举报人（本校工作人员）",
        queryset=staff_in_directory(),
        required=False,
        widget=StaffPicker(),
        help_text="输入姓名查找并选定，同名者按部门和职务区分。选定的人员及其所在部门看不到本件，"
        "其所在、负责或分管的部门不能主办或协办（《信访工作条例》第三十条）。",
        error_messages={
            "invalid_choice": "所选被举报人不在工作人员名录中，请重新查找选定。",
            "invalid_pk_value": "所选被举报人不在工作人员名录中，请重新查找选定。",
        },
    )
    accused_people = forms.CharField(
        label="其他被举报人（名录中查找不到的）",
        max_length=200,
        required=False,
        help_text="填写姓名，多人用顿号或逗号分隔。未从名录选定的人员记为“未核实”，须经信访办核实后本件方可拟办。",
    )
    attachments = MultipleFileField(label="附件（扫描件、照片）", required=False)

    def __init__(self, *args, visible_cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.visible_cases = visible_cases
        if not self.is_bound:
            # Alt+N lands in 姓名 (issue 14); a refused form puts the cursor in its first error
            self.fields["name"].widget.attrs["autofocus"] = True
            self.initial.setdefault("submission_token", uuid.uuid4())
            self.initial.setdefault("received_on", timezone.localdate())

    def clean_gravity(self) -> str:
        return self.cleaned_data["gravity"] or m.Gravity.ORDINARY

    def clean(self):
        data = super().clean()
        if data.get("source") not in (None, m.Source.SELF) and not data.get("superior_reference"):
            self.add_error("superior_reference", "上级交办件请填写上级交办编号（工单号）。")
        if (
            data.get("superior_deadline")
            and data.get("received_on")
            and data["superior_deadline"] < data["received_on"]
        ):
            self.add_error("superior_deadline", "上级办理期限不能早于收到日期。")
        if data.get("source") == m.Source.SUNSHINE and not data.get("sunshine_class"):
            self.add_error("sunshine_class", "教育阳光服务中心交办件请选择平台的事项分类（一般、重大或咨询类）。")
        if data.get("source") != m.Source.SUNSHINE:
            data["sunshine_class"] = ""
        if data.get("is_group") and not data.get("group_size") and "group_size" not in self.errors:
            self.add_error("group_size", "集体访请填写人数（至少 2 人）。")
        data["representative_list"] = self._representatives(data) if data.get("is_group") else []
        if data.get("is_leader_case") and not data.get("leader_in_charge"):
            self.add_error("leader_in_charge", "领导包案请选择包案领导。")
        if data.get("is_repeat"):
            number = (data.get("repeat_of_number") or "").strip()
            earlier = None
            if number and self.visible_cases is not None:
                earlier = self.visible_cases.filter(number=number).first()
            if earlier is None:
                self.add_error("repeat_of_number", "请填写可查到的原信访件编号（如 2026-0001）。")
            data["repeat_of"] = earlier
        else:
            data["repeat_of"] = None
        if data.get("kind") != m.Kind.REPORT:
            data["accused_units"] = []
            data["accused_users"] = []
            data["accused_people"] = ""
        for name in self.accused_people_list(data):
            if len(name) > ACCUSED_NAME_LENGTH:
                self.add_error("accused_people", f"被举报人姓名“{name[:10]}…”过长，每人不超过{ACCUSED_NAME_LENGTH}字。")
        return data

    def _representatives(self, data) -> list[tuple[str, str]]:
        """每行一人：姓名 联系电话; at most 5 (条例 第20条)."""
        found, errors = [], []
        for n, line in enumerate((data.get("representatives") or "").splitlines(), start=1):
            parts = [p for p in re.split(r"[\s,，;；:：、]+", line.strip()) if p]
            if not parts:
                continue
            if len(parts) != 2:
                errors.append(f"第{n}行请按“姓名 联系电话”填写一位代表。")
                continue
            name, phone = normalise_name(parts[0]), normalise_phone(parts[1])
            try:
                validate_phone(phone)
            except ValidationError:
                errors.append(f"第{n}行代表“{name}”的联系电话不正确。")
                continue
            found.append((name[:32], phone))
        if len(found) > m.MAX_REPRESENTATIVES:
            errors.append(
                f"集体访推选的代表不得超过{m.MAX_REPRESENTATIVES}人（《信访工作条例》第二十条），"
                f"现填写了{len(found)}人。"
            )
        for error in errors:
            self.add_error("representatives", error)
        return found

    def accused_people_list(self, data: dict | None = None) -> list[str]:
        """The names written in 其他被举报人, one per person (a space inside a name, as in
        "刘 院长", is not a separator)."""
        raw = (data if data is not None else self.cleaned_data).get("accused_people") or ""
        return [p.strip() for p in re.split(r"[、,，;；\n]+", raw) if p.strip()]

    def accused(self) -> list[User | str]:
        """Who the 举报 accuses: the people picked from the directory, then the names
        written (cases.services.CaseData.accused_people)."""
        return [*self.cleaned_data.get("accused_users", []), *self.accused_people_list()]


# AccusedPerson.name
ACCUSED_NAME_LENGTH = 32


class ReasonForm(Styled):
    reason = forms.CharField(
        label="理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("理由"),
    )


class OptionalNoteForm(Styled):
    reason = forms.CharField(label="意见", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EmptyForm(Styled):
    pass


class ForwardForm(Styled):
    forwarded_to = forms.CharField(label="转送机关", max_length=100, error_messages=required("转送机关"))
    reason = forms.CharField(
        label="转送理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("转送理由"),
    )


class ProposeForm(Styled):
    main_unit = forms.ModelChoiceField(
        label="主办部门",
        queryset=Unit.objects.filter(is_active=True),
        empty_label=EMPTY_LABEL,
        widget=BarredSelect,
    )
    co_units = forms.ModelMultipleChoiceField(
        label="协办部门",
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        widget=BarredCheckboxes,
    )
    approving_leader = forms.ModelChoiceField(
        label="呈报领导",
        queryset=User.objects.filter(role=User.Role.LEADER, is_active=True),
        empty_label=EMPTY_LABEL,
        widget=RecusedSelect,
    )
    proposal = forms.CharField(
        label="拟办意见",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("拟办意见"),
    )

    def __init__(self, *args, case: m.Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        barred = barred_units(case)
        self.fields["main_unit"].widget.barred = barred
        self.fields["co_units"].widget.barred = barred
        self.fields["approving_leader"].widget.recused = set(case.recusals.values_list("user_id", flat=True))
        if barred:
            names = dict(Unit.objects.filter(pk__in=barred).values_list("pk", "name"))
            self.fields["co_units"].help_text = (
                "须回避、不能主办或协办的部门（《信访工作条例》第三十条）："
                + "；".join(f"{names[pk]}（{why}）" for pk, why in barred.items() if pk in names)
                + "。"
            )
        if case.kind == m.Kind.REPORT:
            # 条例 第22条, 第30条: a 举报 goes to 纪检监察
            discipline = Unit.objects.filter(kind=Unit.Kind.DISCIPLINE, is_active=True).order_by("code").first()
            if discipline is not None and discipline.pk not in barred:
                self.initial.setdefault("main_unit", discipline.pk)
                self.fields["main_unit"].help_text = "举报件依《信访工作条例》第三十条由纪检监察部门办理。"
        if case.gravity != m.Gravity.ORDINARY:
            self.fields[
                "approving_leader"
            ].help_text = f"{case.get_gravity_display()}事项呈报主办部门的分管院领导，系统同时报告学院主要领导。"

    def clean(self):
        data = super().clean()
        # a unit that must keep out of the 举报 is refused by the service, which logs the
        # attempt (cases.services.check_routing)
        unit = data.get("main_unit")
        if unit and unit in (data.get("co_units") or []):
            self.add_error("co_units", "主办部门不必再选为协办部门。")
        return data


class AccusedPersonResolveForm(Styled):
    """核实或更正被举报人 (《信访工作条例》第三十条): a member of staff, or not one, and why."""

    user = forms.ModelChoiceField(
        label="对应工作人员",
        queryset=staff_in_directory(),
        required=False,
        widget=StaffPickerOne(),
        help_text="输入姓名查找并选定，同名者按部门和职务区分。",
        error_messages={"invalid_choice": "所选人员不在工作人员名录中，请重新查找选定。"},
    )
    external = forms.BooleanField(label="确认为非本校工作人员", required=False)
    reason = forms.CharField(
        label="理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("理由"),
        help_text="如：经向举报人核实，所指为计算机工程学院院长刘某。",
    )

    def clean(self):
        data = super().clean()
        if data.get("user") and data.get("external"):
            self.add_error("external", "已选定工作人员，不能同时确认为非本校工作人员。")
        elif not data.get("user") and not data.get("external") and "user" not in self.errors:
            self.add_error("user", "请选定对应的工作人员，或确认为非本校工作人员。")
        return data


RECUSAL_HELP = (
    "工作人员与信访事项或者信访人有直接利害关系的，应当回避（《信访工作条例》第二十八条第三款；"
    "《河南省教育系统信访工作责任制实施细则》第九条）。请写明有何利害关系，如：信访人系本人亲属。"
)


class RecusalForm(Styled):
    """申请回避: a member of staff steps aside from a case they see, and says why."""

    reason = forms.CharField(
        label="回避理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("回避理由"),
        help_text=RECUSAL_HELP,
    )


class RecusalOrderForm(Styled):
    """信访办决定回避: the office names a member of staff who must keep out of the case."""

    user = forms.ModelChoiceField(
        label="回避人员",
        queryset=staff_in_directory(),
        widget=StaffPickerOne(),
        help_text="输入姓名查找并选定，同名者按部门和职务区分。",
        error_messages={
            "required": "请选定须回避的工作人员。",
            "invalid_choice": "所选人员不在工作人员名录中，请重新查找选定。",
        },
    )
    reason = forms.CharField(
        label="回避理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("回避理由"),
        help_text=RECUSAL_HELP,
    )


class AssignForm(Styled):
    instruction = forms.CharField(
        label="领导批示",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("领导批示"),
    )
    due_date = forms.DateField(label="办理期限", widget=DATE, error_messages=required("办理期限"))
    requirements = forms.CharField(
        label="办理要求", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise ValidationError("办理期限不能早于今天。")
        return due


class ReplyForm(Styled):
    facts = forms.CharField(
        label="调查核实的事实",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("调查核实的事实"),
    )
    conclusion = forms.CharField(
        label="结论", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), error_messages=required("结论")
    )
    handling = forms.CharField(
        label="处理意见及依据",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("处理意见及依据"),
    )
    petitioner_opinion = forms.CharField(
        label="信访人意见",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=required("信访人意见"),
    )
    outcome = forms.ChoiceField(
        label="处理结果（《信访工作条例》第三十二、三十三条）",
        choices=m.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择处理结果：支持、解释说明、不予支持、调解或和解。"},
    )

    def __init__(self, *args, case: m.Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None and case.procedure == m.Procedure.SUGGESTION:
            # 条例 第29条: a suggestion is studied, adopted where useful and answered
            del self.fields["outcome"]
            self.fields["adoption"] = forms.ChoiceField(
                label="采纳情况（《信访工作条例》第二十九条）",
                choices=m.Adoption.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "请选择采纳情况：采纳、部分采纳或未予采纳。"},
            )
            self.fields["conclusion"].label = "研究论证结论（采纳、部分采纳或不予采纳及理由）"
            self.fields["conclusion"].error_messages.update(required("研究论证结论"))


class StatutoryRouteForm(Styled):
    """导入法定途径 (条例 第31条(一)–(四))."""

    route = forms.ChoiceField(
        label="法定途径",
        choices=[("", EMPTY_LABEL), *m.StatutoryRoute.choices],
    )
    body = forms.CharField(
        label="受理机关",
        max_length=100,
        error_messages=required("受理机关"),
        help_text="如：长沙市劳动人事争议仲裁委员会",
    )
    reason = forms.CharField(
        label="理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("理由"),
    )


class ReviewForm(Styled):
    decision = forms.ChoiceField(
        label="审定意见",
        choices=[("approve", "同意"), ("reject", "退回修改")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择审定意见：同意或退回修改。"},
    )
    reason = forms.CharField(label="意见", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "退回修改请写明理由。")
        return data


class FollowUpForm(Styled):
    satisfaction = forms.ChoiceField(
        label="满意度",
        choices=m.Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择满意度。"},
    )
    method = forms.ChoiceField(
        label="评价方式", choices=m.ContactMethod.choices, error_messages={"required": "请选择评价方式。"}
    )
    comment = forms.CharField(
        label="评价意见", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CaseFilterForm(Styled):
    """The case list's filters, all optional; bad values are reported, not ignored."""

    SORTS = [
        ("-registered_at", "登记时间（新→旧）"),
        ("registered_at", "登记时间（旧→新）"),
        ("-received_on", "收到日期（新→旧）"),
        ("received_on", "收到日期（旧→新）"),
        ("-id", "编号（大→小）"),
        ("id", "编号（小→大）"),
        ("due_key", "期限（近→远）"),
        ("-due_key", "期限（远→近）"),
    ]
    FLAGS = m.flag_choices()
    message_names = {
        "date_from": "收到日期的起始日",
        "date_to": "收到日期的截止日",
        "closed_from": "办结日期的起始日",
        "closed_to": "办结日期的截止日",
        "late_from": "完成日期的起始日",
        "late_to": "完成日期的截止日",
    }

    q = forms.CharField(
        label="关键词",
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "姓名、电话、身份证号或主要问题"}),
    )
    state = forms.MultipleChoiceField(
        label="状态", choices=m.State.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    channel = forms.ChoiceField(label="渠道", choices=[("", "全部"), *m.Channel.choices], required=False)
    kind = forms.ChoiceField(label="类型", choices=[("", "全部"), *m.Kind.choices], required=False)
    unit = forms.ModelChoiceField(label="主办部门", queryset=Unit.objects.all(), required=False, empty_label="全部")
    complained_unit = forms.ModelChoiceField(
        label="被反映单位", queryset=Unit.objects.all(), required=False, empty_label="全部"
    )
    # each date within validators.FIRST_DAY–LAST_DAY: past them the drill-downs' day
    # arithmetic overflows (issue 13 point 10)
    date_from = forms.DateField(label="收到日期自", required=False, widget=DATE, validators=[validate_in_range])
    date_to = forms.DateField(label="至", required=False, widget=DATE, validators=[validate_in_range])
    flags = forms.MultipleChoiceField(label="标记", choices=FLAGS, required=False, widget=forms.CheckboxSelectMultiple)
    sort = forms.ChoiceField(label="排序", choices=SORTS, required=False)

    # The dashboard's drill-downs (dashboard.figures): each figure links here with these.
    status = forms.ChoiceField(
        label="办理情况", choices=[("", "全部"), ("open", "未办结"), ("closed", "已办结")], required=False
    )
    closed_from = forms.DateField(label="办结日期自", required=False, widget=DATE, validators=[validate_in_range])
    closed_to = forms.DateField(label="办结日期至", required=False, widget=DATE, validators=[validate_in_range])
    deadline = forms.ChoiceField(
        label="时限",
        choices=[("", "全部"), ("overdue", "当前超期"), ("due_soon", "3个工作日内到期"), ("backlog", "积案")],
        required=False,
    )
    late = forms.ChoiceField(
        label="超期完成",
        choices=[("", "全部"), ("acceptance", "受理超期"), ("unit_result", "答复超期"), ("completion", "办结超期")],
        required=False,
    )
    late_from = forms.DateField(label="完成日期自", required=False, widget=DATE, validators=[validate_in_range])
    late_to = forms.DateField(label="完成日期至", required=False, widget=DATE, validators=[validate_in_range])
    satisfaction = forms.MultipleChoiceField(
        label="满意度", choices=m.Satisfaction.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    notice = forms.ChoiceField(
        label="督办", choices=[("", "全部"), ("open", "督办中"), ("escalated", "已升级")], required=False
    )
    topic = forms.ModelChoiceField(label="问题类别", queryset=m.Topic.objects.all(), required=False, empty_label="全部")

    def clean(self):
        data = super().clean()
        for start, end in (("date_from", "date_to"), ("closed_from", "closed_to"), ("late_from", "late_to")):
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, "结束日期不能早于开始日期。")
        return data


class ObjectionForm(Styled):
    """异议 (条例 第23条): why the handed-down matter is not the school's."""

    reasons = forms.CharField(
        label="异议理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("异议理由"),
        help_text="自收到交办事项之日起5个工作日内提出，并详细说明理由（《信访工作条例》第二十三条）。",
    )


class ObjectionAnswerForm(Styled):
    answer = forms.ChoiceField(
        label="上级答复",
        choices=[("agreed", "同意异议，退回上级"), ("disagreed", "不同意异议，继续办理")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择上级是否同意异议。"},
    )
    answered_on = forms.DateField(label="答复日期", widget=DATE, error_messages=required("答复日期"))
    note = forms.CharField(label="答复内容", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SuperiorReplyDraftForm(Styled):
    text = forms.CharField(
        label="复函内容",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages=required("复函内容"),
    )


class SuperiorReplySendForm(Styled):
    sent_on = forms.DateField(label="报送日期", widget=DATE, error_messages=required("报送日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("sent_on", timezone.localdate())
