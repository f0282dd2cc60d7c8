"""Evidence photos of a ledger entry, uploaded and deleted from its detail page (the entry
itself is a register of the kit); `photo_views` serves the training sessions' too."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dangjian.core.roles import Action
from dangjian.outreach import services
from dangjian.outreach.forms import PhotoForm
from dangjian.outreach.models import Assistance


def photo_views(model, detail_url_name: str, add, remove):
    """(add, delete) views for the photos of `model`'s records: POST only, the record
    within the user's CHANGE scope (else 404), back to its detail page's photos."""

    def back(obj):
        return redirect(reverse(detail_url_name, args=[obj.pk]) + "#photos")

    def record(request, pk):
        return get_object_or_404(model.objects.restrict(request.user, Action.CHANGE), pk=pk)

    @login_required
    @never_cache
    @require_POST
    def photo_add(request, pk: int):
        obj = record(request, pk)
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                stored = add(request.user, obj, form.cleaned_data["photo"])
                messages.success(request, _("已上传%(name)s") % {"name": stored.name})
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return back(obj)

    @login_required
    @never_cache
    @require_POST
    def photo_delete(request, pk: int):
        obj = record(request, pk)
        try:
            stored = obj.photos.filter(pk=request.POST.get("photo") or None).first()
        except (ValueError, ValidationError):  # not a file id at all
            stored = None
        if stored is None:
            raise Http404
        remove(request.user, obj, stored)
        messages.success(request, _("已删除%(name)s") % {"name": stored.name})
        return back(obj)

    return photo_add, photo_delete


def photo_context(obj) -> dict:
    """What `outreach/_photos.html` shows besides the kit's `can_change`."""
    return {"photos": list(obj.photos.order_by("created_at")), "photo_form": PhotoForm()}


photo_add, photo_delete = photo_views(
    Assistance, "assistance-detail", services.add_photo, services.remove_photo
)
