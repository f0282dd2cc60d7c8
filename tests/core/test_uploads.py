"""The upload store: the type comes from the bytes, images lose their EXIF, caps hold, and
only those who may read a file get it (others 404, like any out-of-scope record)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from uploadfiles import docx_upload, jpeg_with_exif, pdf_upload

from dangjian.core import uploads
from dangjian.core.context import CLI
from dangjian.core.models import AuditAction, AuditEntry, FileKind, StoredFile


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_it_reencodes_a_photo_without_its_exif(db):
    stored = uploads.save(CLI, jpeg_with_exif(), org_path="0001", kinds=(FileKind.IMAGE,))
    assert stored.kind == FileKind.IMAGE and stored.name == "合影.jpg"
    with uploads.open_stored(stored) as handle:
        content = handle.read()
    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (64, 48)
        assert not image.getexif()
    assert b"PhoneMaker" not in content
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(stored.pk)).exists()


def test_it_reads_the_type_from_the_bytes_not_the_name(db):
    renamed = SimpleUploadedFile("报告.jpg", pdf_upload().read())
    stored = uploads.save(CLI, renamed, org_path="0001", kinds=(FileKind.PDF,))
    assert (stored.kind, stored.name, stored.content_type) == ("pdf", "报告.pdf", "application/pdf")
    with pytest.raises(ValidationError, match="只接受图片"):
        uploads.save(CLI, pdf_upload(), org_path="0001", kinds=(FileKind.IMAGE,))
    script = SimpleUploadedFile("photo.png", b"<script>alert(1)</script>")
    with pytest.raises(ValidationError, match="文件类型不符"):
        uploads.save(CLI, script, org_path="0001")
    assert StoredFile.objects.count() == 1


def test_it_tells_a_docx_from_an_xlsx_and_refuses_a_plain_zip(db):
    assert uploads.save(CLI, docx_upload(), org_path="0001").kind == FileKind.DOCX
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ValidationError, match="文件类型不符"):
        uploads.save(CLI, SimpleUploadedFile("a.docx", out.getvalue()), org_path="0001")


def test_it_refuses_a_zip_bomb_and_an_oversized_file(db, settings):
    settings.DANGJIAN_UPLOAD_MAX_MB = 1
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (25 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    with pytest.raises(ValidationError, match="压缩炸弹"):
        uploads.save(CLI, SimpleUploadedFile("bomb.docx", out.getvalue()), org_path="0001")
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="不能超过1 MB"):
        uploads.save(CLI, big, org_path="0001")
    with pytest.raises(ValidationError, match="空的"):
        uploads.save(CLI, SimpleUploadedFile("empty.pdf", b""), org_path="0001")


def test_it_refuses_an_image_with_too_many_pixels(db, settings):
    settings.DANGJIAN_UPLOAD_MAX_PIXELS = 1000
    with pytest.raises(ValidationError, match="像素过多"):
        uploads.save(CLI, jpeg_with_exif(size=(100, 100)), org_path="0001")


def test_it_serves_a_file_only_to_those_who_may_read_it(world, login, client):
    branch_a = world.orgs["ba"]
    stored = uploads.save(CLI, pdf_upload(), org_path=branch_a.path)
    response = client.get(stored.url)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    secretary_a = login(world, "secretary_a")
    response = secretary_a.get(stored.url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert login(world, "secretary_b").get(stored.url).status_code == 404


def test_it_lets_the_owner_and_everyone_read_what_is_theirs_or_public(world, login):
    member = world.users["member"]
    stored = uploads.save(CLI, pdf_upload(), org_path=world.orgs["bb"].path, owner=member)
    assert login(world, "member").get(stored.url).status_code == 200
    other = uploads.save(CLI, pdf_upload(), org_path=world.orgs["bb"].path)
    assert login(world, "member").get(other.url).status_code == 404
    uploads.publish(CLI, other, True)
    from django.test import Client

    assert Client().get(other.url).status_code == 200


def test_it_audits_every_read_of_a_confidential_file(world, login):
    stored = uploads.save(CLI, pdf_upload(), org_path=world.orgs["ba"].path, action="audit")
    client = login(world, "city_admin")
    before = AuditEntry.objects.filter(action=AuditAction.READ).count()
    assert client.get(stored.url).status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.READ).count() == before + 1


def test_it_removes_the_bytes_after_delete(db, django_capture_on_commit_callbacks, tmp_path):
    stored = uploads.save(CLI, pdf_upload(), org_path="0001")
    path = tmp_path / "store" / stored.relpath
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        uploads.delete(CLI, stored)
    assert not path.exists() and not StoredFile.objects.exists()


def test_the_form_field_gives_the_store_message(db):
    field = uploads.UploadField(kinds=(FileKind.IMAGE,))
    with pytest.raises(ValidationError, match="只接受图片"):
        field.clean(pdf_upload())
    assert field.clean(jpeg_with_exif()).name == "合影.jpg"
