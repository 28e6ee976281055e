"""Forms of the annual assessment page."""

from __future__ import annotations

from django import forms

from people.models import Unit

from .assessment import SCHEME_FIELDS
from .models import AssessmentScheme


class SchemeForm(forms.ModelForm):
    class Meta:
        model = AssessmentScheme
        fields = list(SCHEME_FIELDS)


class VetoForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.order_by("pk"))
    reason = forms.CharField(label="否决理由", widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    text = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}))
