"""HTML to PDF with WeasyPrint, for every document the apps issue (A4, the Noto CJK fonts
installed at set-up)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

_font_config: FontConfiguration | None = None
# WeasyPrint's font configuration (a Pango font map) is not safe to share between threads
# rendering at once; one render at a time per process keeps a single warm one.
_render_lock = threading.Lock()


def font_config() -> FontConfiguration:
    """One font configuration per process: building it and loading the CJK faces is the
    slow part of a first render."""
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    with _render_lock:
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=font_config())


def render_pdf(template_name: str, context: dict) -> bytes:
    """A Django template and its context, as PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context))
