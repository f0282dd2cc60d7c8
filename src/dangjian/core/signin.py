"""QR sign-in, the part without a domain rule, shared by 组织生活 meetings and training
sessions: a signed, short-lived token naming the record and a fresh nonce; the sign-in
window of a day; the QR code drawn here as inline SVG (no outside service sees the URL);
and the screen's context (the code, its URL, how often the page draws a new one). Who may
sign in, and what signing in writes, stay with each app."""

import datetime as dt
import io
import secrets
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


class SignInRefused(ValidationError):
    """A QR sign-in that cannot be accepted, with the Chinese reason to show."""


def token_seconds() -> int:
    return settings.DANGJIAN_SIGNIN_TOKEN_SECONDS


class SigninTokens:
    """Tokens of one kind of record. The salt keeps kinds apart: a meeting's code shown to
    the training sign-in is refused as invalid, not read as the session with that id."""

    def __init__(self, salt: str, key: str):
        self.salt, self.key = salt, key

    def make(self, pk: int) -> str:
        """A new nonce each time: the screen draws a fresh code every half validity, so a
        photo of the screen is soon useless."""
        return signing.dumps({self.key: pk, "n": secrets.token_hex(8)}, salt=self.salt)

    def read(self, token: str) -> tuple[int | None, str]:
        """(record pk, nonce) of a good token; SignInRefused when expired or forged."""
        try:
            data = signing.loads(token, salt=self.salt, max_age=token_seconds())
        except signing.SignatureExpired:
            raise SignInRefused(_("签到二维码已过期, 请扫描屏幕上最新的二维码")) from None
        except signing.BadSignature:
            raise SignInRefused(_("签到二维码无效")) from None
        if not isinstance(data, dict):
            raise SignInRefused(_("签到二维码无效"))
        return data.get(self.key), str(data.get("n", ""))


def closed(day: dt.date, today: dt.date, closed_at) -> bool:
    """Sign-in ends when the organiser closes it or the record's day is over."""
    return closed_at is not None or today > day


def qr_svg(text: str, box_size: int = 12) -> str:
    """Inline SVG drawn here; path only, no style attribute, so the page's CSP needs
    nothing extra."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=box_size)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return mark_safe(svg[svg.index("<svg") :])  # drawn here from our own URL


def screen_context(request, token: str, signin_url_name: str) -> dict:
    """The QR screen's code for `token`, pointing at the member's sign-in page, and the
    polling interval that replaces it at half its validity."""
    url = request.build_absolute_uri(reverse(signin_url_name) + "?" + urlencode({"t": token}))
    return {"qr": qr_svg(url), "signin_url": url, "refresh": max(token_seconds() // 2, 5)}


def token_from(request) -> str:
    """The token a sign-in page was opened or posted with (bounded: it is a query string)."""
    return (request.POST.get("t") or request.GET.get("t") or "")[:500]
