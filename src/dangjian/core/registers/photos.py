"""Photos of a record kept in the upload store (`core.uploads`) through a many-to-many field
to `StoredFile`: one `PhotoGallery` declaration per model gives the add and remove services
(CHANGE scope, a cap, one UPDATE audit row on the record), the two POST pages that call them
from the record's detail page and what `registers/_photos.html` shows. The 帮扶台账 and the
training sessions share it, so the upload rules and the audit trail of their photos cannot
drift apart."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dangjian.core import audit, uploads
from dangjian.core.audit import AuditAction
from dangjian.core.forms import BootstrapMixin
from dangjian.core.roles import Action
from dangjian.core.scope import require

IMAGE_KINDS = ("image",)


class PhotoForm(BootstrapMixin, forms.Form):
    """One photo for a record's gallery; the type is read from the bytes, not the name."""

    photo = uploads.UploadField(label=gettext_lazy("照片"), kinds=IMAGE_KINDS)


class PhotoGallery:
    """The photos of `model`'s records in its `field` (a ManyToManyField to StoredFile).

    `org_path(obj)` is the org the files belong to (who may read them: whoever may view
    that org); `too_many` and `not_its` are the record's own wording of the cap (with
    `%(n)d`) and of a photo that is not its own. The services take the scope check into
    their own transaction so the API, the pages and the demo loader get the same rules."""

    def __init__(
        self,
        model: type[models.Model],
        *,
        detail_url_name: str,
        org_path: Callable[[models.Model], str],
        too_many: str,
        not_its: str,
        field: str = "photos",
        limit: int = 12,
    ):
        self.model = model
        self.detail_url_name = detail_url_name
        self.org_path = org_path
        self.too_many = too_many
        self.not_its = not_its
        self.field = field
        self.limit = limit

    def of(self, obj) -> models.QuerySet:
        """The record's stored files."""
        return getattr(obj, self.field).all()

    def add(self, actor, obj, uploaded):
        """Store `uploaded` (re-encoded without EXIF) as one more photo of `obj`."""
        with transaction.atomic():
            require(actor, Action.CHANGE, obj)
            if self.of(obj).count() >= self.limit:
                raise ValidationError(str(self.too_many) % {"n": self.limit})
            path = self.org_path(obj)
            stored = uploads.save(actor, uploaded, org_path=path, kinds=IMAGE_KINDS)
            getattr(obj, self.field).add(stored)
            audit.record(
                actor,
                AuditAction.UPDATE,
                obj,
                changes={self.field: [None, stored.name]},
                org_path=path,
            )
        return stored

    def remove(self, actor, obj, stored) -> None:
        """Take `stored` off `obj` and out of the store (its bytes go once this commits)."""
        with transaction.atomic():
            require(actor, Action.CHANGE, obj)
            if not self.of(obj).filter(pk=stored.pk).exists():
                raise ValidationError(str(self.not_its))
            path = self.org_path(obj)
            getattr(obj, self.field).remove(stored)
            audit.record(
                actor,
                AuditAction.UPDATE,
                obj,
                changes={self.field: [stored.name, None]},
                org_path=path,
            )
            uploads.delete(actor, stored)

    def context(self, obj) -> dict:
        """What `registers/_photos.html` shows besides the kit's `can_change` (and the
        `add_url`/`delete_url` the detail template names)."""
        return {"photos": list(self.of(obj).order_by("created_at")), "photo_form": PhotoForm()}

    def views(self):
        """(add, delete) views: POST only, the record within the user's CHANGE scope (else
        404), back to its detail page's photos with the outcome as a message."""

        def back(obj):
            return redirect(reverse(self.detail_url_name, args=[obj.pk]) + "#photos")

        def record(request, pk):
            return get_object_or_404(
                self.model.objects.restrict(request.user, Action.CHANGE), pk=pk
            )

        @login_required
        @never_cache
        @require_POST
        def photo_add(request, pk: int):
            obj = record(request, pk)
            form = PhotoForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    stored = self.add(request.user, obj, form.cleaned_data["photo"])
                    messages.success(request, _("已上传%(name)s") % {"name": stored.name})
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
            else:
                messages.error(
                    request, " ".join(e for errors in form.errors.values() for e in errors)
                )
            return back(obj)

        @login_required
        @never_cache
        @require_POST
        def photo_delete(request, pk: int):
            obj = record(request, pk)
            try:
                stored = self.of(obj).filter(pk=request.POST.get("photo") or None).first()
            except (ValueError, ValidationError):  # not a file id at all
                stored = None
            if stored is None:
                raise Http404
            self.remove(request.user, obj, stored)
            messages.success(request, _("已删除%(name)s") % {"name": stored.name})
            return back(obj)

        return photo_add, photo_delete
