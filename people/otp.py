"""The TOTP second factor (django-otp) for the roles that see most (OWASP ASVS 2.7,
level 2 for administrative access; 等保 2.0 三级: 两种或两种以上组合的鉴别技术)."""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .models import User

# The office, leaders, discipline and administrators: they see across units and 举报.
SECOND_FACTOR_ROLES = frozenset({User.Role.OFFICE, User.Role.LEADER, User.Role.DISCIPLINE, User.Role.ADMIN})


def needs_second_factor(user) -> bool:
    """Whether `user` must give a TOTP code after the password (settings.XINFANG_REQUIRE_OTP)."""
    if not settings.XINFANG_REQUIRE_OTP or not user.is_authenticated:
        return False
    return user.role in SECOND_FACTOR_ROLES or user.is_staff or user.is_superuser


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


PENDING_KEY = "_xf_otp_pending_key"


def pending_device(user, session) -> TOTPDevice:
    """The device being enrolled: an unconfirmed one already stored, or one built (not
    saved: a GET writes nothing) on a key kept in the session until the person confirms
    it with a code. Verifying it, on POST, saves it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        key = session.get(PENDING_KEY) or random_hex(20)
        session[PENDING_KEY] = key
        device = TOTPDevice(user=user, name="身份验证器", key=key, confirmed=False)
    return device


def qr_data_uri(device: TOTPDevice) -> str:
    """The enrolment QR code as an SVG data: URI (no Pillow, nothing inline for the CSP)."""
    svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
