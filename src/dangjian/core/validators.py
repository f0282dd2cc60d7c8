"""Checks of Chinese identity and contact data, shared by forms, imports and the API."""

import datetime as dt
import logging
import operator
import re
import time

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
# What must never reach a public page: an ID number (18 characters, GB 11643 shape) or a
# mobile number anywhere in a text. A landline-like figure is left alone (an office's
# published number).
_ID_NUMBER_IN_TEXT = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def id_check_digit(first17: str) -> str:
    """GB 11643-1999 ISO 7064 MOD 11-2 check character."""
    if len(first17) != len(_ID_WEIGHTS):
        raise ValueError("the check digit follows 17 digits")
    return _ID_CHECK[sum(map(operator.mul, map(int, first17), _ID_WEIGHTS)) % 11]


def normalize_id_number(value) -> str:
    if not isinstance(value, str):
        # Excel stores long digit strings as floats and loses the last digits.
        raise ValidationError(_("公民身份号码必须以文本格式填写(Excel 按数字保存会丢失末尾位数)"))
    return value.strip().upper()


def id_birth_date(id_number: str) -> dt.date:
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def id_sex(id_number: str) -> str:
    """'male' or 'female' from the 17th digit (odd = male)."""
    return "male" if int(id_number[16]) % 2 else "female"


def validate_id_number(value) -> str:
    """Return the normalised number or raise ValidationError with a Chinese reason."""
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(_("公民身份号码应为18位, 实际为%(n)d位") % {"n": len(number)})
    if not _ID_RE.match(number):
        raise ValidationError(_("公民身份号码只能由17位数字和1位数字或X组成"))
    try:
        birth = id_birth_date(number)
    except ValueError:
        raise ValidationError(_("公民身份号码中的出生日期无效")) from None
    # Today in the current time zone is costly per row of an import; a birth year two
    # years before the UTC year is in the past in every time zone, so it is skipped then.
    if birth.year < 1900 or (
        birth.year >= time.gmtime().tm_year - 1 and birth > timezone.localdate()
    ):
        raise ValidationError(_("公民身份号码中的出生日期无效"))
    if id_check_digit(number[:17]) != number[17]:
        raise ValidationError(_("公民身份号码校验位错误"))
    return number


def mask_id_number(number: str | None) -> str:
    """First 3 and last 4 characters kept (INTERFACES section 7)."""
    if not number:
        return ""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


# An 18-character ID number standing alone in free text (not part of a longer digit run).
ID_NUMBER_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def mask_id_numbers_in(text: str) -> str:
    return ID_NUMBER_IN_TEXT.sub(lambda m: mask_id_number(m.group(0).upper()), text)


class MaskIdNumbersFilter(logging.Filter):
    """Logging filter: full ID numbers in a log line are masked like on the pages."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_id_numbers_in(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def personal_data_in(text: str) -> bool:
    """Whether a text meant for the public (the 党务公开 portal) holds an ID number or a
    mobile number; the publishing services refuse such a text."""
    return bool(_ID_NUMBER_IN_TEXT.search(text or "") or _MOBILE_IN_TEXT.search(text or ""))


def validate_phone(value: str) -> str:
    phone = (value or "").strip().replace(" ", "")
    if phone and not (MOBILE_RE.match(phone) or LANDLINE_RE.match(phone)):
        raise ValidationError(_("联系电话应为以1开头的11位手机号码, 或带区号的固定电话"))
    return phone


def validate_code(value: str) -> None:
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", value or ""):
        raise ValidationError(_("代码只能由1-32位字母、数字、下划线或连字符组成"))


class CharacterClassesValidator:
    """Password rule of DESIGN 7 (等保 level 3): at least `min_classes` of the four classes
    lower-case letters, upper-case letters, digits and other characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    @staticmethod
    def classes(password: str) -> int:
        return sum(
            (
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            )
        )

    def validate(self, password: str, user=None) -> None:
        if self.classes(password) < self.min_classes:
            raise ValidationError(
                _("密码须包含小写字母、大写字母、数字、其他字符中的至少%(n)d类")
                % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("密码须包含小写字母、大写字母、数字、其他字符中的至少%(n)d类") % {
            "n": self.min_classes
        }
