"""Dues test helpers: a member in an org with a base for a year, through the services."""

import datetime as dt
import io
import itertools

from docx import Document
from personas import add_member

from dangjian.core.context import CLI
from dangjian.dues import services

_seq = itertools.count(1)


def dues_member(org, *, joined, base="4000.00", category="salaried", years=None, **extra):
    member = add_member(
        org,
        extra.pop("name", f"党费{next(_seq)}号"),
        joined=joined,
        converted=extra.pop("converted", None),
        birth=extra.pop("birth", dt.date(1980, 1, 1)),
        **extra,
    )
    for year in [joined.year] if years is None else years:
        services.set_base(CLI, member, year=year, category=category, base=base)
    return member


def docx_bytes(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
