"""Member record rules (INTERFACES 4.3). Pure functions over plain values so forms, the
service layer and the importer report the same Chinese messages, all at once."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.dates import add_years, age_on
from dangjian.core.validators import id_birth_date, id_sex, validate_id_number, validate_phone
from dangjian.members.choices import Category, Sex
from dangjian.orgs.models import MEMBER_ORG_KINDS


def person_problems(*, name, sex, id_number, phone, add) -> str | None:
    """The checks every person record shares (members and the 发展党员 pipeline): name, the
    ID number and the sex it encodes, phone. Reports through `add(field, message)`; returns
    the normalized number when it is valid."""
    if not name or not str(name).strip():
        add("name", _("姓名不能为空"))
    elif len(str(name).strip()) > 50:
        add("name", _("姓名不能超过50个字"))
    number = None
    try:
        number = validate_id_number(id_number)
    except ValidationError as exc:
        add("id_number", exc.messages[0])
    if number and sex and sex != id_sex(number):
        add(
            "sex",
            _("性别与公民身份号码不符(号码第17位表示%(sex)s)") % {"sex": Sex(id_sex(number)).label},
        )
    if phone:
        try:
            validate_phone(phone)
        except ValidationError as exc:
            add("phone", exc.messages[0])
    return number


def member_problems(
    *,
    name: str | None,
    sex: str | None,
    id_number,
    birth_date: dt.date | None,
    org_kind: str | None,
    category: str | None,
    joined_on: dt.date | None,
    converted_on: dt.date | None,
    phone: str | None = "",
    today: dt.date | None = None,
) -> dict[str, list[str]]:
    """Field name -> Chinese messages. Empty dict: the record is valid."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    number = person_problems(name=name, sex=sex, id_number=id_number, phone=phone, add=add)
    if number:
        born = id_birth_date(number)
        if birth_date and birth_date != born:
            add(
                "birth_date",
                _("出生日期与公民身份号码不符(号码中为%(d)s)") % {"d": born.isoformat()},
            )
        if joined_on and age_on(born, joined_on) < 18:
            add(
                "joined_on",
                _("入党时须年满18岁, 按身份证号码计算入党日期时为%(age)d岁")
                % {"age": age_on(born, joined_on)},
            )

    if org_kind is not None and org_kind not in MEMBER_ORG_KINDS:
        add("org", _("党员只能编入党支部、联合党支部或临时党支部"))

    if joined_on and joined_on > today:
        add("joined_on", _("入党日期不能晚于今天"))

    if category == Category.FULL:
        if converted_on is None:
            add("converted_on", _("正式党员必须填写转正日期"))
        elif joined_on:
            earliest, latest = add_years(joined_on, 1), add_years(joined_on, 2)
            if converted_on < earliest:
                add(
                    "converted_on",
                    _("转正日期不能早于入党日期满一年(最早%(d)s)") % {"d": earliest.isoformat()},
                )
            elif converted_on > latest:
                add(
                    "converted_on",
                    _("转正日期不能晚于入党日期后两年(最迟%(d)s)") % {"d": latest.isoformat()},
                )
        if converted_on and converted_on > today:
            add("converted_on", _("转正日期不能晚于今天"))
    elif category == Category.PROBATIONARY and converted_on is not None:
        add("converted_on", _("预备党员不能填写转正日期"))
    return errors
