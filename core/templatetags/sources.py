"""{% load sources %}{{ rule.citation|cite }}: a stored citation in the form users read
(core.sources.cite)."""

from django import template

from core.sources import cite as _cite

register = template.Library()


@register.filter
def cite(value) -> str:
    return _cite(value) if value else value
