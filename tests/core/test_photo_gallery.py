"""The register kit's photo gallery on its own (a declaration of its own on the ledger's
model, so the cap and messages are the declaration's, not the app's): the cap, a photo of
another record refused, the CHANGE scope, and one UPDATE audit row per add and remove."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dangjian.core.context import CLI
from dangjian.core.models import AuditAction, AuditEntry, StoredFile
from dangjian.core.registers.photos import PhotoGallery
from dangjian.core.scope import NotInScope
from dangjian.outreach.models import Assistance
from tests.outreach.register_factories import assistance

GALLERY = PhotoGallery(
    Assistance,
    detail_url_name="assistance-detail",
    org_path=lambda entry: entry.pairing.org.path,
    too_many="至多%(n)d张",
    not_its="不是这条的照片",
    limit=2,
)


def _png(name):
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def _updates(entry):
    return list(
        AuditEntry.objects.filter(
            action=AuditAction.UPDATE, object_id=str(entry.pk), object_type="outreach.assistance"
        )
        .order_by("id")
        .values_list("changes", "org_path")
    )


def test_it_caps_audits_and_removes(world):
    entry = assistance(world, world.orgs["ba"], 0)
    path, files = world.orgs["ba"].path, StoredFile.objects.count()
    first = GALLERY.add(CLI, entry, _png("一.png"))
    GALLERY.add(CLI, entry, _png("二.png"))
    with pytest.raises(ValidationError, match="至多2张"):
        GALLERY.add(CLI, entry, _png("三.png"))
    assert entry.photos.count() == 2 and StoredFile.objects.count() == files + 2  # none kept
    GALLERY.remove(CLI, entry, first)
    assert not StoredFile.objects.filter(pk=first.pk).exists()
    assert [f.name for f in GALLERY.context(entry)["photos"]] == ["二.png"]
    assert _updates(entry) == [
        ({"photos": [None, "一.png"]}, path),
        ({"photos": [None, "二.png"]}, path),
        ({"photos": ["一.png", None]}, path),
    ]


def test_it_refuses_another_records_photo_and_an_actor_out_of_scope(world):
    entry = assistance(world, world.orgs["ba"], 0)
    other = assistance(world, world.orgs["ba"], 1)
    stored = GALLERY.add(CLI, other, _png("别处.png"))
    with pytest.raises(ValidationError, match="不是这条的照片"):
        GALLERY.remove(CLI, entry, stored)
    assert other.photos.filter(pk=stored.pk).exists()
    with pytest.raises(NotInScope):
        GALLERY.add(world.users["secretary_b"], entry, _png("越权.png"))
    with pytest.raises(NotInScope):
        GALLERY.remove(world.users["secretary_b"], other, stored)
    assert entry.photos.count() == 0 and other.photos.count() == 1
    assert _updates(entry) == []
