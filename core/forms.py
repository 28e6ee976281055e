"""Form styling shared by every app's forms: Bootstrap classes on the widgets, so that
templates stay plain, and Chinese messages for required fields."""

from __future__ import annotations

from django import forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def required(label: str) -> dict:
    """error_messages for a required field: 请填写{label}。"""
    return {"required": f"请填写{label}。"}


class Styled(forms.Form):
    """Bootstrap classes on every widget, so templates stay plain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                css = ""  # the attrs would land on the wrapping <div>; .choice-group styles them
            elif isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                widget.attrs.setdefault("class", css)
