"""The upload store (DESIGN 3.1.9): every photo and attachment of every module comes in
here. The type is read from the bytes, never from the name or the browser's claim; sizes
are capped (an Office file's inflated size too: zip bombs); images are decoded and
re-encoded, which drops EXIF (GPS positions of a phone photo) and anything smuggled
after the pixels; the bytes live under MEDIA_ROOT, outside the web root, and only
`download` serves them, to those who may read them.

A file written for a transaction that later rolls back stays on disk without a row; it is
never served (no row names it). Deleting removes the bytes only after the commit."""

import hashlib
import io
import os
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from dangjian.core import audit
from dangjian.core.models import AuditAction, FileKind, StoredFile
from dangjian.core.roles import Action
from dangjian.core.scope import is_unrestricted, scope_paths

ALL_KINDS = tuple(FileKind.values)
IMAGE_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}
# Formats accepted as images; each is re-encoded as JPEG (photos) or PNG (the rest).
ACCEPTED_IMAGE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OFFICE_MARKERS = {
    "word/document.xml": (FileKind.DOCX, "docx", DOCX_TYPE),
    "xl/workbook.xml": (FileKind.XLSX, "xlsx", XLSX_TYPE),
}
# An Office file may inflate to at most this many times the upload cap.
OFFICE_INFLATE_FACTOR = 20
KIND_LABELS = {
    FileKind.IMAGE: gettext_lazy("图片(JPG、PNG)"),
    FileKind.PDF: gettext_lazy("PDF"),
    FileKind.DOCX: gettext_lazy("Word(.docx)"),
    FileKind.XLSX: gettext_lazy("Excel(.xlsx)"),
}


def max_bytes() -> int:
    return settings.DANGJIAN_UPLOAD_MAX_MB * 1024 * 1024


def _refuse(kinds) -> ValidationError:
    allowed = "、".join(str(KIND_LABELS[kind]) for kind in kinds)
    return ValidationError(_("文件类型不符: 只接受%(allowed)s") % {"allowed": allowed}, code="kind")


def _office(content: bytes, kinds):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if sum(info.file_size for info in infos) > max_bytes() * OFFICE_INFLATE_FACTOR:
                raise ValidationError(_("文件解压后过大, 疑似压缩炸弹, 已拒绝"), code="inflate")
            # Read what the declared sizes claim: a lying header shows up here.
            budget = max_bytes() * OFFICE_INFLATE_FACTOR
            for info in infos:
                with archive.open(info) as member:
                    while chunk := member.read(1 << 16):
                        budget -= len(chunk)
                        if budget < 0:
                            raise ValidationError(
                                _("文件解压后过大, 疑似压缩炸弹, 已拒绝"), code="inflate"
                            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise _refuse(kinds) from error
    for marker, found in OFFICE_MARKERS.items():
        if marker in names and found[0] in kinds:
            return found
    raise _refuse(kinds)


def _image(content: bytes, kinds) -> tuple[bytes, str, str]:
    """Decode and re-encode: the stored image holds pixels only."""
    try:
        with Image.open(io.BytesIO(content)) as probe:
            if probe.format not in ACCEPTED_IMAGE_FORMATS:
                raise _refuse(kinds)
            width, height = probe.size
            if width * height > settings.DANGJIAN_UPLOAD_MAX_PIXELS:
                raise ValidationError(
                    _("图片像素过多(%(w)d×%(h)d), 请缩小后再上传") % {"w": width, "h": height},
                    code="pixels",
                )
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            photo = image.format == "JPEG"
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if photo:
                image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
                fmt = "JPEG"
            else:
                alpha = "A" in image.getbands() or image.mode == "P"
                image.convert("RGBA" if alpha else "RGB").save(out, "PNG", optimize=True)
                fmt = "PNG"
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise _refuse(kinds) from error
    extension, content_type = IMAGE_FORMATS[fmt]
    return out.getvalue(), extension, content_type


def inspect(content: bytes, kinds=ALL_KINDS) -> tuple[str, bytes, str, str]:
    """(kind, bytes to store, extension, content type) of an upload, or a ValidationError
    in Chinese: empty, too large, or not one of `kinds` by its bytes."""
    if not content:
        raise ValidationError(_("文件是空的"), code="empty")
    if len(content) > max_bytes():
        raise ValidationError(
            _("文件过大: 不能超过%(mb)d MB") % {"mb": settings.DANGJIAN_UPLOAD_MAX_MB}, code="size"
        )
    if content.startswith(b"%PDF-"):
        if FileKind.PDF not in kinds:
            raise _refuse(kinds)
        return FileKind.PDF, content, "pdf", "application/pdf"
    if content.startswith(b"PK\x03\x04"):
        kind, extension, content_type = _office(content, kinds)
        return kind, content, extension, content_type
    if FileKind.IMAGE not in kinds:
        raise _refuse(kinds)
    stored, extension, content_type = _image(content, kinds)
    return FileKind.IMAGE, stored, extension, content_type


def _read(uploaded) -> bytes:
    if getattr(uploaded, "size", 0) and uploaded.size > max_bytes():
        raise ValidationError(
            _("文件过大: 不能超过%(mb)d MB") % {"mb": settings.DANGJIAN_UPLOAD_MAX_MB}, code="size"
        )
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    return uploaded.read(max_bytes() + 1)


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / "store"


def _display_name(name: str, extension: str) -> str:
    stem = Path(os.path.basename(name or "")).stem.strip() or _("文件")
    return f"{stem[:150]}.{extension}"


def save(
    actor,
    uploaded,
    *,
    org_path: str,
    kinds=ALL_KINDS,
    action: str = Action.VIEW,
    public: bool = False,
    owner=None,
) -> StoredFile:
    """Store an upload (a Django UploadedFile or any binary file object with a name) for
    readers of `org_path` holding `action`, the `owner`, or everyone when `public`; audited.
    Call inside the service's transaction."""
    kind, content, extension, content_type = inspect(_read(uploaded), kinds)
    stored = StoredFile(
        name=_display_name(getattr(uploaded, "name", ""), extension),
        kind=kind,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        org_path=org_path,
        action=action,
        public=public,
        owner=owner,
        uploaded_by=getattr(actor, "username", "") or "",
    )
    stored.relpath = f"{str(stored.pk)[:2]}/{stored.pk}.{extension}"
    target = _root() / stored.relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
        handle.write(content)
    os.replace(handle.name, target)
    try:
        with transaction.atomic():
            stored.save(force_insert=True)
            audit.created(actor, stored, org_path=org_path, exclude=("relpath",))
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return stored


def save_many(
    actor, files, *, org_path: str, note: str, kinds=ALL_KINDS, action: str = Action.VIEW
) -> list[StoredFile]:
    """Store many files at once (a demo's or a migration's library): `files` are (name,
    bytes, org_path of the file). The same checks as `save` (each distinct content inspected
    once), one file on disk per row (deleting one never touches another's bytes), the rows
    in one bulk insert and one audit row for the batch, filed under `org_path` (the subtree
    holding them all). Call inside the service's transaction."""
    checked: dict[str, tuple] = {}
    who = getattr(actor, "username", "") or ""
    rows: list[StoredFile] = []
    written: list[Path] = []
    try:
        for name, content, file_path in files:
            digest = hashlib.sha256(content).hexdigest()
            if digest not in checked:
                kind, stored_bytes, extension, content_type = inspect(content, kinds)
                sha = hashlib.sha256(stored_bytes).hexdigest()
                checked[digest] = (kind, stored_bytes, extension, content_type, sha)
            kind, stored_bytes, extension, content_type, sha = checked[digest]
            stored = StoredFile(
                name=_display_name(name, extension),
                kind=kind,
                content_type=content_type,
                size=len(stored_bytes),
                sha256=sha,
                org_path=file_path,
                action=action,
                uploaded_by=who,
            )
            stored.relpath = f"{str(stored.pk)[:2]}/{stored.pk}.{extension}"
            target = _root() / stored.relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(stored_bytes)
            written.append(target)
            rows.append(stored)
        with transaction.atomic():
            StoredFile.objects.bulk_create(rows, batch_size=500)
            if rows:
                audit.batch(
                    actor,
                    AuditAction.CREATE,
                    org_path=org_path,
                    object_repr=note,
                    files=len(rows),
                    bytes=sum(row.size for row in rows),
                )
    except BaseException:
        for target in written:
            target.unlink(missing_ok=True)
        raise
    return rows


def delete(actor, stored: StoredFile) -> None:
    """Remove the record now and the bytes once the transaction commits."""
    target = _root() / stored.relpath
    with transaction.atomic():
        audit.deleted(actor, stored, org_path=stored.org_path, exclude=("relpath",))
        stored.delete()
        transaction.on_commit(lambda: target.unlink(missing_ok=True))


def publish(actor, stored: StoredFile, public: bool) -> StoredFile:
    with transaction.atomic():
        before = audit.state(stored, exclude=("relpath",))
        stored.public = public
        stored.save(update_fields=["public"])
        audit.changed(actor, stored, before, org_path=stored.org_path, exclude=("relpath",))
    return stored


@contextmanager
def open_stored(stored: StoredFile):
    with open(_root() / stored.relpath, "rb") as handle:
        yield handle


def may_read(user, stored: StoredFile) -> bool:
    if stored.public:
        return True
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return False
    if is_unrestricted(user) or (stored.owner_id is not None and stored.owner_id == user.pk):
        return True
    return any(stored.org_path.startswith(path) for path in scope_paths(user, stored.action))


def download(request, pk):
    """`/files/<uuid>/`: a file the user may not read is 404, like any out-of-scope record
    (a visitor not signed in is asked to sign in first).
    A confidential file (one needing more than VIEW) leaves an audit row at every read."""
    stored = StoredFile.objects.filter(pk=pk).first()
    if stored is not None and not stored.public and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if stored is None or not may_read(request.user, stored):
        raise Http404
    if stored.action != Action.VIEW and not stored.public:
        audit.record(request.user, AuditAction.READ, stored, org_path=stored.org_path)
    try:
        handle = open(_root() / stored.relpath, "rb")  # noqa: SIM115 (FileResponse closes it)
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        content_type=stored.content_type,
        as_attachment=not stored.is_image,
        filename=stored.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600" if stored.public else "private, no-store"
    return response


class UploadField(forms.FileField):
    """A form field with the store's checks, so a bad file is refused on the form with the
    same Chinese message the store gives."""

    def __init__(self, *args, kinds=ALL_KINDS, **kwargs):
        self.kinds = tuple(kinds)
        super().__init__(*args, **kwargs)
        accept = []
        for kind in self.kinds:
            accept += {
                FileKind.IMAGE: ["image/jpeg", "image/png", "image/webp", "image/gif"],
                FileKind.PDF: [".pdf"],
                FileKind.DOCX: [".docx"],
                FileKind.XLSX: [".xlsx"],
            }[kind]
        self.widget.attrs.setdefault("accept", ",".join(accept))

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if uploaded and uploaded is not initial and hasattr(uploaded, "read"):
            inspect(_read(uploaded), self.kinds)
            uploaded.seek(0)
        return uploaded
