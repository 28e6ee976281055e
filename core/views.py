"""The error page that must work when nothing else does."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseServerError
from django.template import loader

from .request_id import current_request_id


def server_error(request: HttpRequest) -> HttpResponseServerError:
    """The 500 page shows the request id that the log line of the failure carries
    (`%(request_id)s`), so that a user's report leads to the traceback; it renders
    without the database or the session, which may be what failed."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_id": current_request_id()}))
