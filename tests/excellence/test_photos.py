"""Photos of 先进典型 go through the upload store (re-encoded, EXIF gone), are shown on the
exemplar's page, readable by whoever may read the exemplar, and public (for the portal)
exactly while the exemplar is published."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient
from uploadfiles import jpeg_with_exif, pdf_upload

from dangjian.core import uploads
from dangjian.core.context import CLI
from dangjian.core.models import StoredFile
from dangjian.excellence import services
from dangjian.excellence.models import ExemplarPhoto

DAY = dt.date(2024, 7, 1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _exemplar(world, org="ba"):
    return services.create_exemplar(
        CLI, world.orgs[org], name="王老师", title="师德标兵", level="county", recognised_on=DAY
    )


def _upload(client, exemplar, upload=None, caption="颁奖现场"):
    return client.post(
        reverse("exemplar-photo-add", args=[exemplar.pk]),
        {"photo": upload or jpeg_with_exif(), "caption": caption},
    )


def test_a_photo_is_stored_reencoded_and_shown_to_its_readers(world, login):
    exemplar = _exemplar(world)
    client = login(world, "secretary_a")
    response = _upload(client, exemplar)
    assert response.status_code == 302
    photo = ExemplarPhoto.objects.get(exemplar=exemplar)
    stored = photo.file
    assert stored.is_image and not stored.public and stored.org_path == world.orgs["ba"].path
    with uploads.open_stored(stored) as handle:
        assert b"PhoneMaker" not in handle.read()  # the phone's EXIF is gone
    page = client.get(reverse("exemplar-detail", args=[exemplar.pk])).content.decode()
    assert stored.url in page and "颁奖现场" in page
    assert client.get(stored.url).status_code == 200
    assert login(world, "county_admin").get(stored.url).status_code == 200
    assert login(world, "secretary_b").get(stored.url).status_code == 404
    assert login(world, "anonymous").get(stored.url).status_code == 302  # asked to sign in
    api = APIClient()
    api.force_authenticate(world.users["secretary_a"])
    body = api.get(f"/api/exemplars/{exemplar.pk}/").json()
    assert body["photos"] == [{"url": stored.url, "caption": "颁奖现场", "public": False}]


def test_a_file_that_is_not_an_image_is_refused_in_chinese(world, login):
    exemplar = _exemplar(world)
    response = _upload(login(world, "secretary_a"), exemplar, pdf_upload("照片.jpg"))
    assert response.status_code == 200
    assert "文件类型不符" in " ".join(response.context["form"].errors["photo"])
    assert not ExemplarPhoto.objects.exists() and not StoredFile.objects.exists()


def test_others_cannot_add_photos(world, login):
    exemplar = _exemplar(world)
    assert _upload(login(world, "secretary_b"), exemplar).status_code == 404
    assert _upload(login(world, "member"), exemplar).status_code == 404
    assert not ExemplarPhoto.objects.exists()


def test_photos_are_public_exactly_while_the_exemplar_is_published(world, client):
    exemplar = _exemplar(world)
    first = services.add_exemplar_photo(CLI, exemplar, jpeg_with_exif())
    services.publish_exemplar(CLI, exemplar, on=DAY)
    second = services.add_exemplar_photo(CLI, exemplar, jpeg_with_exif("第二张.jpg"))
    for photo in (first, second):
        photo.file.refresh_from_db()
        assert photo.file.public
        assert client.get(photo.file.url).status_code == 200  # the portal's visitor
    services.publish_exemplar(CLI, exemplar, on=None)
    for photo in (first, second):
        photo.file.refresh_from_db()
        assert not photo.file.public
        assert client.get(photo.file.url).status_code == 302


def test_a_photo_can_be_deleted_and_goes_with_its_exemplar(world, login):
    exemplar = _exemplar(world)
    photo = services.add_exemplar_photo(CLI, exemplar, jpeg_with_exif())
    client = login(world, "secretary_a")
    delete = reverse("exemplar-photo-delete", args=[exemplar.pk, photo.pk])
    assert client.get(delete).status_code == 405  # only after the page's confirmation
    assert login(world, "secretary_b").post(delete).status_code == 404
    assert login(world, "secretary_a").post(delete).status_code == 302
    assert not ExemplarPhoto.objects.exists() and not StoredFile.objects.exists()
    services.add_exemplar_photo(CLI, exemplar, jpeg_with_exif())
    services.delete_exemplar(CLI, exemplar)
    assert not ExemplarPhoto.objects.exists() and not StoredFile.objects.exists()


def test_publishing_cannot_lie_in_the_future(world):
    exemplar = _exemplar(world)
    with pytest.raises(ValidationError) as refused:
        services.publish_exemplar(CLI, exemplar, on=dt.date.today() + dt.timedelta(days=3))
    assert "不能晚于今天" in str(refused.value)
