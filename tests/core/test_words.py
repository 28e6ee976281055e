"""Words (issue 14 point 9): every form of every app says what is wrong in a Chinese
sentence that names the field, never with one of Django's own messages ("这个字段是必填项。",
"选择一个有效的选项。…", "确保该值不超过…"), and every dropdown's empty choice reads 请选择
(a filter's reads 全部). The forms are found by importing every forms and views module of every
app, so a new form is checked without being listed here."""

from __future__ import annotations

import copy
import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator

import pytest
from django import forms
from django.contrib.auth import forms as auth_forms
from django.core import validators as django_validators
from django.db.models import fields as model_fields
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accountability import services as accountability
from accountability.models import Appeal, Ground, Measure
from cases.actions import ACTIONS
from cases.forms import RegistrationForm
from cases.models import Procedure
from core.forms import Styled
from deadlines.forms import ExtensionRequestForm
from documents.services import document_issue
from notifications.forms import PreferenceForm
from people.models import Unit

APPS = (
    "cases",
    "people",
    "notifications",
    "deadlines",
    "documents",
    "supervision",
    "accountability",
    "dashboard",
    "core",
    "devtools",
)

# Bases that are not forms of their own: they have no fields (or, for a ModelForm, no model).
BASES = {"core.forms.Styled", "core.forms.StyledModelForm"}

# The forms this test cannot build, and why: none. A form whose constructor asks for
# something the builders below do not know of lands here, and the test says so.
CANNOT_BUILD: dict[str, str] = {}

# The empty choices that are not 请选择, and why each means something of its own.
FILTERS = "filters: the empty choice is no filter at all"
EMPTY_CHOICES: dict[str, set[str]] = {
    # filters keep 全部
    **{
        name: {"全部"}
        for name in [
            "cases.forms.CaseFilterForm.channel",
            "cases.forms.CaseFilterForm.kind",
            "cases.forms.CaseFilterForm.unit",
            "cases.forms.CaseFilterForm.complained_unit",
            "cases.forms.CaseFilterForm.status",
            "cases.forms.CaseFilterForm.deadline",
            "cases.forms.CaseFilterForm.late",
            "cases.forms.CaseFilterForm.notice",
            "cases.forms.CaseFilterForm.topic",
            "documents.forms.LedgerForm.unit",
            "documents.forms.LedgerForm.channel",
            "documents.forms.LedgerForm.kind",
            "supervision.forms.BoardFilterForm.unit",
            "supervision.forms.BoardFilterForm.level",
            "supervision.forms.BoardFilterForm.status",
            "supervision.forms.BoardFilterForm.late",
            "supervision.forms.BoardFilterForm.trigger",
            "accountability.forms.FilterForm.status",
            "accountability.forms.FilterForm.subject",
        ]
    },
    # the period's unit: everything the viewer may see, which for the office is the school
    "dashboard.views.PeriodForm.unit": {"全部", "全校"},
    "dashboard.forms_topics.ScopeForm.unit": {"全校", "我分管的全部"},
    "dashboard.forms_topics.TopicsFilterForm.unit": {"全校", "我分管的全部"},
    # the annual report's scope when no unit is picked (dashboard.report.scope_label)
    "dashboard.forms_report.ReportForm.unit": {"全校"},
    # an empty 办理程序 is a choice: the procedure follows the 信访类型 (条例 第29条)
    "cases.forms.RegistrationForm.procedure": {"按信访类型确定"},
}

EMPTY_OPTION = re.compile(r'<option value=""[^>]*>([^<]*)</option>')
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"[A-Za-z]{4,}")


class _Params(dict):
    """Fills every %(name)s and %(name)d of a message, as ValidationError would."""

    def __missing__(self, key):
        return 7


PARAMS = _Params()


def text(message) -> str:
    """A message as a page would show it (lazy, plural or with parameters)."""
    return str(message % PARAMS)


def django_message_templates() -> set[str]:
    """Every message Django's forms, form fields, validators and model fields can show,
    in zh-hans and in English."""
    found = []
    classes = [forms.Field, model_fields.Field]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        if cls.__module__.startswith("django."):
            found.extend(vars(cls).get("default_error_messages", {}).values())
    for obj in vars(django_validators).values():
        if inspect.isclass(obj) and not issubclass(obj, Exception):
            messages = vars(obj).get("messages", {})
            found.extend(m for m in (vars(obj).get("message"), *messages.values()) if m)
    found.extend(auth_forms.AuthenticationForm.error_messages.values())
    templates = set()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            templates |= {text(m) for m in found}
            # the plural ones, with the other number
            templates |= {str(m % _Params(limit_value=1, max=1, length=1)) for m in found if "%(" in str(m)}
    return templates - {""}


DJANGO = django_message_templates()


def django_fragments() -> set[str]:
    """The literal parts of Django's zh-hans messages, to find one inside a rendered
    message whatever its parameters were."""
    found = set()
    for message in DJANGO:
        found |= {part.strip() for part in re.split(r"7|\d+|[%()]", message) if len(part.strip()) >= 4}
    return found


FRAGMENTS = django_fragments()


# --- finding and building every form ---------------------------------------------------


def form_classes() -> Iterator[type[forms.BaseForm]]:
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.iter_modules(package.__path__):
            # forms live in forms*.py; a page's own small form in its views*.py
            if info.ispkg or not info.name.startswith(("forms", "views", "actions")):
                continue
            module = importlib.import_module(f"{app}.{info.name}")
            for obj in vars(module).values():
                if inspect.isclass(obj) and issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__:
                    yield obj


def dotted(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


ALL_FORMS = sorted({dotted(c): c for c in form_classes() if dotted(c) not in BASES}.items())


@pytest.fixture
def context(people, make_case):
    """What a form's constructor may ask for, by the name of its argument."""
    case = make_case("accepted")
    acase = accountability.case_open(
        actor=people["office"],
        data=accountability.CaseData(
            facts="推诿扯皮。", grounds=list(Ground.objects.all()[:2]), subject_user=people["head_jwc"]
        ),
    )
    return {
        "case": case,
        "user": people["office"],
        "max_days": 15,
        "document": document_issue(case=case, kind="acceptance", actor=people["office"]),
        "acase": acase,
        "measures": Measure.objects.all(),
        "appeals": Appeal.objects.all(),
        "years": [timezone.localdate().year],
        "scope_label": "全校",
    }


def needs(cls: type) -> list[str]:
    """The keyword arguments a form's constructor cannot do without."""
    return [
        name
        for name, p in inspect.signature(cls.__init__).parameters.items()
        if p.default is inspect.Parameter.empty and p.kind is inspect.Parameter.KEYWORD_ONLY
    ]


def build(cls: type, context: dict, data=None) -> forms.BaseForm:
    kwargs = {name: context[name] for name in needs(cls)}
    return cls(data, **kwargs) if data is not None else cls(**kwargs)


def test_every_form_can_be_built(context):
    unknown = {name: needs(cls) for name, cls in ALL_FORMS if not set(needs(cls)) <= context.keys()}
    assert unknown == {name: CANNOT_BUILD[name] for name in unknown}
    assert len(ALL_FORMS) > 50  # every app's forms were found


def built_forms(context) -> Iterator[tuple[str, forms.BaseForm]]:
    for name, cls in ALL_FORMS:
        if name in CANNOT_BUILD:
            continue
        yield name, build(cls, context)
    # the variants whose fields differ: a suggestion's reply asks for 采纳情况, not 处理结果
    suggestion = copy.copy(context["case"])
    suggestion.procedure = Procedure.SUGGESTION
    yield "cases.forms.ReplyForm (建议)", ACTIONS["reply"].form(case=suggestion)
    yield (
        "documents.forms.LedgerForm (部门)",
        build(dict(ALL_FORMS)["documents.forms.LedgerForm"], {"user": context["user"]}),
    )


# --- (a) no Django default message -------------------------------------------------------


def effective_messages(field: forms.Field, model_field=None) -> Iterator[tuple[str, str]]:
    """Every (code, message) the field can raise: its error_messages, and what each of
    its validators (and its model field's, in a ModelForm) says when the field does not
    override the code."""
    for code, message in field.error_messages.items():
        yield code, text(message)
    for validator in [*field.validators, *(model_field.validators if model_field is not None else [])]:
        if not type(validator).__module__.startswith("django."):
            continue  # the project's own validators (cases.validators) say it in Chinese
        own = getattr(validator, "messages", None) or {getattr(validator, "code", "invalid"): validator.message}
        for code, message in own.items():
            yield code, text(field.error_messages.get(code, message))


def model_field_of(form: forms.BaseForm, name: str):
    meta = getattr(form, "_meta", None)
    if meta is None or meta.model is None:
        return None
    try:
        return meta.model._meta.get_field(name)
    except Exception:
        return None


def test_no_field_keeps_a_django_message(context):
    found = []
    with translation.override("zh-hans"):
        for form_name, form in built_forms(context):
            # as validation sees them: a field a form adds after its __init__ gets its
            # messages there (core.forms.StyledMixin.full_clean)
            form.full_clean()
            for name, field in form.fields.items():
                if not field.widget.is_hidden and len(noun(form, name)) < 2:  # 至, 自: say which date
                    found.append(f"{form_name}.{name}: messages would call it {noun(form, name)}")
                for code, message in effective_messages(field, model_field_of(form, name)):
                    if message in DJANGO or not CJK.search(message):
                        found.append(f"{form_name}.{name} {code}: {message}")
                    choice = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
                    if choice and code == "required" and "请填写" in message:
                        found.append(f"{form_name}.{name} {code}: {message} (a choice is 选择, not 填写)")
            for code, message in getattr(form, "error_messages", {}).items():  # AuthenticationForm's own
                if text(message) in DJANGO:
                    found.append(f"{form_name} {code}: {text(message)}")
    assert not found, "\n" + "\n".join(found)


def test_the_check_knows_djangos_messages():
    with translation.override("zh-hans"):
        assert text(forms.CharField().error_messages["required"]) in DJANGO
        assert text(django_validators.MaxLengthValidator(5).message) in DJANGO
        assert text(forms.ModelChoiceField(queryset=None).error_messages["invalid_choice"]) in DJANGO
        assert text(forms.DateField().error_messages["invalid"]) in DJANGO


# --- (b) 请选择 ------------------------------------------------------------------------


def test_every_dropdowns_empty_choice_reads_qingxuanze(context):
    found = []
    for form_name, form in built_forms(context):
        base_name = form_name.split(" ")[0]
        for name, field in form.fields.items():
            if not isinstance(field.widget, forms.Select):
                continue
            for label in EMPTY_OPTION.findall(str(form[name])):
                if label != "请选择" and label not in EMPTY_CHOICES.get(f"{base_name}.{name}", ()):
                    found.append(f"{form_name}.{name}: {label}")
    assert not found, "\n" + "\n".join(found)


# --- (c) what a refused form shows -----------------------------------------------------


def noun(form: forms.BaseForm, name: str) -> str:
    """What a message should call the field: the form's own name for it, or its label
    without a trailing （…）."""
    named = getattr(form, "message_names", {}).get(name)
    return named or re.sub(r"（[^（）]*）$", "", str(form.fields[name].label or ""))


def invalid_data(form: forms.BaseForm) -> dict:
    """A value of the wrong kind for every field."""
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, forms.ModelMultipleChoiceField):
            data[key] = ["x"]
        elif isinstance(field, forms.MultipleChoiceField):
            data[key] = ["nonsense"]
        elif isinstance(field, forms.ModelChoiceField):
            data[key] = "999999999"
        elif isinstance(field, forms.ChoiceField):
            data[key] = "nonsense"
        elif isinstance(field, forms.DateField):
            data[key] = "2026-02-30"
        elif isinstance(field, forms.IntegerField | forms.DecimalField):
            data[key] = "十五"
        elif isinstance(field, forms.UUIDField):
            data[key] = "not-a-uuid"
        elif isinstance(field, forms.CharField) and field.max_length:
            data[key] = "字" * (field.max_length + 50)
    return data


def shown_messages(form: forms.BaseForm) -> Iterator[tuple[str | None, str]]:
    """(field name or None, message) for everything the refused form shows: each visible
    field's errors as templates/_field.html renders them, the form's own errors and the
    hidden fields' (which name no field a person sees)."""
    for bound in form.visible_fields():
        html = render_to_string("_field.html", {"field": bound})
        for message in re.findall(r"<li>(.*?)</li>", html.split('class="errorlist"', 1)[-1]) if bound.errors else []:
            yield bound.name, message
    for message in form.non_field_errors():
        yield None, message
    for bound in form.hidden_fields():
        for message in bound.errors:
            yield None, message


def key_forms(context) -> Iterator[tuple[str, forms.BaseForm | type]]:
    yield "登记", lambda data: RegistrationForm(data)
    for key, action in ACTIONS.items():
        yield (
            key,
            lambda data, action=action: (
                action.form(data, case=context["case"]) if "case" in needs(action.form) else action.form(data)
            ),
        )
    yield "申请延期", lambda data: ExtensionRequestForm(data, max_days=15)
    yield "通知设置", lambda data: PreferenceForm(data)


def test_a_refused_form_says_in_chinese_what_is_wrong_with_which_field(context):
    found = []
    seen = 0
    with translation.override("zh-hans"):
        for title, make in key_forms(context):
            for data in ({}, invalid_data(make(None))):
                form = make(data)
                form.is_valid()
                for name, message in shown_messages(form):
                    seen += 1
                    where = f"{title}.{name or '表单'}: {message}"
                    if not CJK.search(message) or ENGLISH.search(message):
                        found.append(f"{where} (not Chinese)")
                    if any(fragment in message for fragment in FRAGMENTS):
                        found.append(f"{where} (Django's)")
                    if name is not None and noun(form, name) not in message:
                        found.append(f"{where} (does not name {noun(form, name)})")
    assert not found, "\n" + "\n".join(found)
    assert seen > 40


def test_the_examples_of_the_issue(context):
    """The messages issue 14 point 9 quotes, as the registration and extension forms give them."""
    form = RegistrationForm({"channel": "bogus", "summary": "问" * 612, "received_on": "2026-13-01"})
    form.is_valid()
    assert form.errors["name"] == ["请填写信访人姓名。"]
    assert form.errors["channel"] == ["请从列表中选择信访渠道。"]
    assert form.errors["summary"] == ["反映的主要问题不能超过 500 字（现有 612 字）。"]
    assert form.errors["received_on"] == ["请按 年-月-日 填写收到日期。"]
    form = ExtensionRequestForm({"days": "三", "reason": "x"}, max_days=15)
    form.is_valid()
    assert form.errors["days"] == ["延期天数应为整数。"]
    form = ExtensionRequestForm({"days": "0", "reason": "x"}, max_days=15)
    form.is_valid()
    assert form.errors["days"] == ["延期天数至少为 1 日。"]
    form = RegistrationForm({"is_group": "on", "group_size": "1"})
    form.is_valid()
    assert form.errors["group_size"] == ["人数不能少于 2。"]


class Sample(Styled):
    kind = forms.ChoiceField(label="信访类型", choices=[("", "---------"), ("a", "来信")])
    unit = forms.ModelChoiceField(label="主办部门", queryset=Unit.objects.all())
    days = forms.IntegerField(label="天数", min_value=1, max_value=30)
    note = forms.CharField(label="说明", max_length=5, error_messages={"max_length": "说明太长。"})
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["later"] = forms.ChoiceField(label="采纳情况（第二十九条）", choices=[("x", "采纳")])


def test_the_base_puts_chinese_in_place_of_djangos_and_keeps_a_forms_own(db):
    form = Sample()
    assert EMPTY_OPTION.findall(str(form["kind"])) == ["请选择"]
    assert EMPTY_OPTION.findall(str(form["unit"])) == ["请选择"]
    with translation.override("zh-hans"):
        form = Sample({"kind": "b", "unit": "0", "days": "0", "note": "123456", "token": "x", "later": "y"})
        assert form.errors == {
            "kind": ["请从列表中选择信访类型。"],
            "unit": ["请从列表中选择主办部门。"],
            "days": ["天数不能少于 1。"],
            "note": ["说明太长。"],  # the form's own
            "token": ["页面已失效，请刷新页面后重新提交。"],  # a hidden field names nothing
            "later": ["请从列表中选择采纳情况。"],  # added after __init__, its label's （…） left out
        }
        form = Sample({"days": "三十一"})
        assert form.errors["kind"] == ["请选择信访类型。"] and form.errors["unit"] == ["请选择主办部门。"]
        assert form.errors["days"] == ["天数应为整数。"] and form.errors["note"] == ["请填写说明。"]
        assert Sample({"days": "31"}).errors["days"] == ["天数不能超过 30。"]
