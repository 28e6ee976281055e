"""Forms: they check what was typed and say what is wrong, in Chinese, next to the field."""

from __future__ import annotations

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.forms import DATE, Styled, required
from people.models import Unit, User

from . import models as m
from .attachments import check_upload
from .validators import validate_id_number, validate_not_future, validate_phone


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        errors = []
        for f in files:
            try:
                check_upload(f)
            except ValidationError as e:
                errors.extend(e.messages)
        if errors:
            raise ValidationError(errors)
        return list(files)


class RegistrationForm(Styled):
    """The clerk's form (seed 000 附件1 信访登记表). Keyboard order follows the paper form."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    # 信访人
    name = forms.CharField(label="信访人姓名", max_length=32, error_messages=required("信访人姓名"))
    phone = forms.CharField(label="联系电话", max_length=20, required=False, validators=[validate_phone])
    id_number = forms.CharField(
        label="身份证号",
        max_length=18,
        min_length=18,
        required=False,
        validators=[validate_id_number],
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
        choices=[("", "请选择…"), *m.SunshineClass.choices],
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
        label="问题类别", queryset=m.Topic.objects.filter(is_active=True), required=False, empty_label="（未分类）"
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
        empty_label="（无或不明确）",
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
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "每行一人：姓名 联系电话"}),
        help_text="多人走访须推选代表，代表不超过5人（《信访工作条例》第二十条）。",
    )
    is_over_level = forms.BooleanField(label="越级访", required=False)
    is_leader_case = forms.BooleanField(label="领导包案", required=False)
    leader_in_charge = forms.ModelChoiceField(
        label="包案领导",
        queryset=User.objects.filter(role=User.Role.LEADER, is_active=True),
        required=False,
        empty_label="请选择…",
    )
    is_repeat = forms.BooleanField(label="重复信访", required=False)
    repeat_of_number = forms.CharField(label="原信访件编号", max_length=16, required=False)

    accused_units = forms.ModelMultipleChoiceField(
        label="被举报部门",
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accused_people = forms.CharField(label="被举报人", max_length=200, required=False, help_text="多人用顿号或逗号分隔")
    attachments = MultipleFileField(label="附件（扫描件、照片）", required=False)

    def __init__(self, *args, visible_cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.visible_cases = visible_cases
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())
            self.initial.setdefault("received_on", timezone.localdate())

    def clean_id_number(self) -> str:
        return self.cleaned_data["id_number"].strip().upper()

    def clean_gravity(self) -> str:
        return self.cleaned_data["gravity"] or m.Gravity.ORDINARY

    def clean_phone(self) -> str:
        return self.cleaned_data["phone"].strip()

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
        if data.get("is_group") and not data.get("group_size"):
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
            data["accused_people"] = ""
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
            name, phone = parts
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

    def accused_people_list(self) -> list[str]:
        raw = self.cleaned_data.get("accused_people") or ""
        return [p.strip() for p in re.split(r"[、,，;；\s]+", raw) if p.strip()]


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
        error_messages=required("主办部门"),
        empty_label="请选择…",
    )
    co_units = forms.ModelMultipleChoiceField(
        label="协办部门",
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    approving_leader = forms.ModelChoiceField(
        label="呈报领导",
        queryset=User.objects.filter(role=User.Role.LEADER, is_active=True),
        error_messages=required("呈报领导"),
        empty_label="请选择…",
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
        if case.kind == m.Kind.REPORT:
            # 条例 第22条, 第30条: a 举报 goes to 纪检监察
            discipline = Unit.objects.filter(kind=Unit.Kind.DISCIPLINE, is_active=True).order_by("code").first()
            if discipline is not None and not case.accused_units.filter(pk=discipline.pk).exists():
                self.initial.setdefault("main_unit", discipline.pk)
                self.fields["main_unit"].help_text = "举报件依《信访工作条例》第三十条由纪检监察部门办理。"
        if case.gravity != m.Gravity.ORDINARY:
            self.fields[
                "approving_leader"
            ].help_text = f"{case.get_gravity_display()}事项呈报主办部门的分管院领导，系统同时报告学院主要领导。"

    def clean(self):
        data = super().clean()
        unit = data.get("main_unit")
        if unit and self.case.accused_units.filter(pk=unit.pk).exists():
            self.add_error("main_unit", "被举报部门不能承办针对本部门的举报件，请另选主办部门。")
        if unit and unit in (data.get("co_units") or []):
            self.add_error("co_units", "主办部门不必再选为协办部门。")
        return data


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
        choices=[("", "请选择…"), *m.StatutoryRoute.choices],
        error_messages=required("法定途径"),
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
        error_messages={"required": "请选择同意或退回修改。"},
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
    ]
    FLAGS = m.flag_choices()

    q = forms.CharField(
        label="关键词",
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "姓名 / 电话 / 主要问题"}),
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
    date_from = forms.DateField(label="收到日期自", required=False, widget=DATE)
    date_to = forms.DateField(label="至", required=False, widget=DATE)
    flags = forms.MultipleChoiceField(label="标记", choices=FLAGS, required=False, widget=forms.CheckboxSelectMultiple)
    sort = forms.ChoiceField(label="排序", choices=SORTS, required=False)

    # The dashboard's drill-downs (dashboard.figures): each figure links here with these.
    status = forms.ChoiceField(
        label="办理情况", choices=[("", "全部"), ("open", "未办结"), ("closed", "已办结")], required=False
    )
    closed_from = forms.DateField(label="办结日期自", required=False, widget=DATE)
    closed_to = forms.DateField(label="办结日期至", required=False, widget=DATE)
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
    late_from = forms.DateField(label="完成日期自", required=False, widget=DATE)
    late_to = forms.DateField(label="完成日期至", required=False, widget=DATE)
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
