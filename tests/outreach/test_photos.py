"""Evidence photos of the 帮扶台账 and of training sessions, through the upload store: the
bytes re-encoded (EXIF gone), readable within the record's org subtree only, refused when
not an image, removed with their record."""

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from uploadfiles import jpeg_with_exif, pdf_upload

from dangjian.core import uploads
from dangjian.core.context import CLI
from dangjian.core.models import AuditEntry, StoredFile
from dangjian.outreach import services
from dangjian.training import services as training_services
from tests.outreach.register_factories import assistance


def _entry(world):
    return assistance(world, world.orgs["ba"], 0)


def _session(world):
    course = training_services.save_course(
        CLI, org=world.orgs["ba"], title="党课", kind="study", level="county", hours=Decimal(4)
    )
    return training_services.save_training(
        CLI, course=course, org=world.orgs["ba"], on=dt.date(2025, 3, 1), hours=Decimal(4)
    )


def test_it_keeps_ledger_photos_in_the_store_without_their_exif(world, login):
    entry = _entry(world)
    client = login(world, "secretary_a")
    url = reverse("assistance-photo-add", args=[entry.pk])
    response = client.post(url, {"photo": jpeg_with_exif()})
    assert response.status_code == 302 and response["Location"].endswith("#photos")
    photo = entry.photos.get()
    assert (photo.kind, photo.org_path) == ("image", world.orgs["ba"].path)
    with uploads.open_stored(photo) as handle:
        assert not Image.open(handle).getexif()  # GPS and maker gone
    page = client.get(reverse("assistance-detail", args=[entry.pk]))
    assert photo.url in page.content.decode() and "照片 1 张" in page.content.decode()
    assert client.get(photo.url).status_code == 200
    assert AuditEntry.objects.filter(object_id=str(entry.pk), changes__photos__isnull=False)


def test_it_refuses_a_non_image_and_keeps_other_branches_out(world, login):
    entry = _entry(world)
    client = login(world, "secretary_a")
    url = reverse("assistance-photo-add", args=[entry.pk])
    response = client.post(url, {"photo": pdf_upload()}, follow=True)
    assert "文件类型不符" in response.content.decode()
    fake = SimpleUploadedFile("假照片.jpg", b"not an image at all", content_type="image/jpeg")
    assert "文件类型不符" in client.post(url, {"photo": fake}, follow=True).content.decode()
    assert not entry.photos.exists()
    client.post(url, {"photo": jpeg_with_exif()})
    photo = entry.photos.get()
    other = login(world, "secretary_b")
    assert other.get(photo.url).status_code == 404
    assert other.post(url, {"photo": jpeg_with_exif()}).status_code == 404
    delete = reverse("assistance-photo-delete", args=[entry.pk])
    assert other.post(delete, {"photo": str(photo.pk)}).status_code == 404
    assert login(world, "county_admin").get(photo.url).status_code == 200


def test_it_deletes_a_photo_and_the_photos_of_a_deleted_entry(world, login):
    entry = _entry(world)
    client = login(world, "secretary_a")
    url = reverse("assistance-photo-add", args=[entry.pk])
    client.post(url, {"photo": jpeg_with_exif()})
    client.post(url, {"photo": jpeg_with_exif("第二张.jpg")})
    first, second = entry.photos.order_by("created_at")
    delete = reverse("assistance-photo-delete", args=[entry.pk])
    assert client.post(delete, {"photo": "not-a-uuid"}).status_code == 404
    assert client.post(delete, {"photo": str(first.pk)}).status_code == 302
    assert list(entry.photos.all()) == [second]
    assert not StoredFile.objects.filter(pk=first.pk).exists()
    services.delete_assistance(CLI, entry)
    assert not StoredFile.objects.filter(pk=second.pk).exists()


def test_it_keeps_photos_of_a_training_session(world, login):
    session = _session(world)
    client = login(world, "secretary_a")
    url = reverse("training-photo-add", args=[session.pk])
    assert client.post(url, {"photo": jpeg_with_exif("培训现场.jpg")}).status_code == 302
    photo = session.photos.get()
    page = client.get(reverse("training-detail", args=[session.pk])).content.decode()
    assert photo.url in page and "培训现场.jpg" in page
    assert login(world, "secretary_b").post(url, {"photo": jpeg_with_exif()}).status_code == 404
    client = login(world, "secretary_a")
    delete = reverse("training-photo-delete", args=[session.pk])
    assert client.post(delete, {"photo": str(photo.pk)}).status_code == 302
    assert not session.photos.exists()
    client.post(url, {"photo": jpeg_with_exif()})
    kept = session.photos.get()
    training_services.delete_training(CLI, session)
    assert not StoredFile.objects.filter(pk=kept.pk).exists()


def test_it_caps_the_photos_of_one_record(world, settings):
    entry = _entry(world)
    for i in range(services.PHOTOS_MAX):
        services.add_photo(CLI, entry, _png(f"{i}.png"))
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="最多上传12张照片"):
        services.add_photo(CLI, entry, _png("多余.png"))


def _png(name):
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 200)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")
