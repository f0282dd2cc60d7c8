"""The text of an uploaded .docx or PDF, for search: python-docx for Word (paragraphs and
table cells), pypdf for PDF. A file whose text cannot be read is still kept; it is found
by its name only."""

import hashlib
import io
import logging

logger = logging.getLogger(__name__)

# Enough for any rule or speech; a huge file's tail is not searched.
MAX_CHARS = 500_000


def docx_text(content: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(part for part in parts if part)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    parts = []
    for page in reader.pages:
        parts.append(page.extract_text() or "")
        if sum(len(p) for p in parts) > MAX_CHARS:
            break
    return "\n".join(parts)


_recent: dict[str, str] = {}


def text_of(kind: str, content: bytes) -> str:
    """The text, remembered for the last few files (the same template uploaded by many orgs
    is read once)."""
    key = hashlib.sha256(content).hexdigest()
    if key not in _recent:
        if len(_recent) >= 16:
            _recent.pop(next(iter(_recent)))
        _recent[key] = _text_of(kind, content)
    return _recent[key]


def _text_of(kind: str, content: bytes) -> str:
    try:
        if kind == "docx":
            text = docx_text(content)
        elif kind == "pdf":
            text = pdf_text(content)
        else:
            return ""
    except Exception:  # a damaged file is stored all the same, found by its name
        logger.warning("could not read the text of an uploaded %s", kind)
        return ""
    return text.replace("\x00", "")[:MAX_CHARS]
