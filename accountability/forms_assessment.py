"""Forms of the annual assessment page."""

from __future__ import annotations

from django import forms

from core.forms import Styled, StyledModelForm
from people.models import Unit

from .assessment import SCHEME_FIELDS
from .models import AssessmentScheme


class SchemeForm(StyledModelForm):
    class Meta:
        model = AssessmentScheme
        fields = list(SCHEME_FIELDS)


class VetoForm(Styled):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.order_by("pk"))
    reason = forms.CharField(label="否决理由", widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(Styled):
    text = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}))
