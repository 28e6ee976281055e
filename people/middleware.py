from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .otp import confirmed_device, needs_second_factor


class SecondFactorMiddleware:
    """After the password, a person who needs a second factor (people.otp) reaches
    nothing but the code page (or, the first time, the enrolment page) and log-out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if needs_second_factor(user) and not user.is_verified():  # type: ignore[union-attr]
            verify, setup = reverse("people:otp_verify"), reverse("people:otp_setup")
            if request.path not in (verify, setup, reverse("logout")) and not request.path.startswith(
                settings.STATIC_URL
            ):
                target = verify if confirmed_device(user) else setup
                url = f"{target}?{urlencode({'next': request.get_full_path()})}"
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = url
                    return response
                return redirect(url)
        return self.get_response(request)
