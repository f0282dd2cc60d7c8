"""Pinyin keys for name search: `zhangsan` and `zs` both find 张三."""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Memoised: pypinyin segments and converts each call (tens of microseconds), and names
# repeat (an import of 100,000 members holds about a fifth as many distinct names).
_CACHE_SIZE = 65_536


@lru_cache(maxsize=_CACHE_SIZE)
def full(name: str) -> str:
    return "".join(lazy_pinyin(name, errors="ignore")).lower()


@lru_cache(maxsize=_CACHE_SIZE)
def initials(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
