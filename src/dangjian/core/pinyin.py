"""Pinyin keys for name search: `zhangsan` and `zs` both find 张三."""

from functools import lru_cache

from pypinyin import lazy_pinyin

# Memoised: pypinyin segments and converts each call (tens of microseconds), and names
# repeat (an import of 100,000 members holds about a fifth as many distinct names).
_CACHE_SIZE = 65_536


@lru_cache(maxsize=_CACHE_SIZE)
def _syllables(name: str) -> tuple[str, ...]:
    return tuple(syllable.lower() for syllable in lazy_pinyin(name, errors="ignore") if syllable)


def full(name: str) -> str:
    return "".join(_syllables(name))


def initials(name: str) -> str:
    """The first letter of each syllable (pypinyin's FIRST_LETTER style, without a second
    conversion of the name)."""
    return "".join(syllable[0] for syllable in _syllables(name))
