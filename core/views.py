"""The error page that must work when nothing else does, and the icon browsers ask
for on their own."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect, HttpResponseServerError
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from .request_id import current_request_id


def server_error(request: HttpRequest) -> HttpResponseServerError:
    """The 500 page shows the request id that the log line of the failure carries
    (`%(request_id)s`), so that a user's report leads to the traceback; it renders
    without the database or the session, which may be what failed."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_id": current_request_id()}))


@require_GET
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """/favicon.ico, which browsers ask for whatever the page links to: the icon every
    page links to (static/favicon.svg), so that the request does not fill the log with
    404s. Public, like the log-in page it shows on."""
    return HttpResponseRedirect(static("favicon.svg"))
