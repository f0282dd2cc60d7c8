"""Pinyin keys: the initials are derived from the same conversion as the full key, and
agree with pypinyin's own first-letter style for every common character and real names."""

import random

from pypinyin import Style, lazy_pinyin

from dangjian.core import pinyin


def first_letters(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()


def test_keys_of_a_name():
    assert pinyin.full("张三") == "zhangsan"
    assert pinyin.initials("张三") == "zs"
    assert pinyin.full("吕·Ali") == "lv"
    assert pinyin.initials("") == ""


def test_initials_agree_with_pypinyin_first_letters():
    common = [chr(code) for code in range(0x4E00, 0x9FA6)]
    rng = random.Random(11643)
    names = common + ["".join(rng.choices(common, k=rng.randint(2, 4))) for _ in range(20000)]
    names += ["单于", "长孙无忌", "曾参", "乐正", "尉迟恭", "解缙", "区寄", "朴槿惠", "女娲"]
    mismatched = [name for name in names if pinyin.initials(name) != first_letters(name)]
    assert mismatched == []
