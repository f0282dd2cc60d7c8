import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core.validators import (
    id_birth_date,
    id_check_digit,
    id_sex,
    mask_id_number,
    validate_id_number,
    validate_phone,
)

VALID = "11010519491231002X"  # GB 11643 sample


def test_it_accepts_the_standard_sample_and_lower_case_x():
    assert validate_id_number(VALID) == VALID
    assert validate_id_number(VALID.lower()) == VALID
    assert id_birth_date(VALID) == dt.date(1949, 12, 31)
    assert id_sex(VALID) == "female"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("11010519491231002", "应为18位"),
        ("1101051949123100AX", "只能由17位数字"),
        ("110105194913310021", "出生日期无效"),
        ("110105194912310021", "校验位错误"),
    ],
)
def test_it_rejects_bad_numbers_with_a_chinese_reason(value, message):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert message in exc.value.messages[0]


def test_it_rejects_an_id_number_excel_stored_as_a_number():
    with pytest.raises(ValidationError) as exc:
        validate_id_number(1.1010519491231e17)
    assert "文本格式" in exc.value.messages[0]


dates = st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2008, 12, 31))


@given(birth=dates, seq=st.integers(0, 999), area=st.sampled_from(["640502", "110105", "320102"]))
def test_it_validates_every_computed_check_digit(birth, seq, area):
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    assert validate_id_number(body + id_check_digit(body)) == body + id_check_digit(body)


@given(birth=dates, seq=st.integers(0, 999), pos=st.integers(0, 16), delta=st.integers(1, 9))
def test_it_rejects_any_single_digit_change(birth, seq, pos, delta):
    body = f"640502{birth:%Y%m%d}{seq:03d}"
    number = body + id_check_digit(body)
    changed = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1 :]
    with pytest.raises(ValidationError):
        validate_id_number(changed)


def test_it_masks_keeping_first_three_and_last_four():
    assert mask_id_number(VALID) == "110***********002X"
    assert mask_id_number("") == ""


@pytest.mark.parametrize("phone", ["13912345678", "0951-1234567", "09511234567", ""])
def test_it_accepts_mobiles_and_landlines(phone):
    assert validate_phone(phone) == phone


@pytest.mark.parametrize("phone", ["1391234567", "23912345678", "12345", "abc"])
def test_it_rejects_bad_phones(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)
