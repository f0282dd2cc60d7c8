"""Step pages of a register's record: one form on one record running one service (report a
整改 item, accept it, enter a sheet's scores). Every module had written the same view for
each step: fetch the record through `restrict()`, refuse (404) who may not take the step,
the form with the service's Chinese messages on its fields, back to the record's page once
saved. `record_step` declares such a page instead, and `registers/step_form.html` (which a
step may extend through its `step_form` block) shows it."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.cache import never_cache

from dangjian.core.forms import form_page
from dangjian.core.roles import Action

STEP_TEMPLATE = "registers/step_form.html"


def record_step(
    model,
    *,
    form: Callable,
    save: Callable,
    message,
    heading,
    detail: str,
    action: str = Action.CHANGE,
    queryset: Callable | None = None,
    allowed: Callable | None = None,
    select_related: tuple = (),
    lead: Callable | None = None,
    template: str = STEP_TEMPLATE,
    context: Callable | None = None,
    done: Callable | None = None,
):
    """A view `(request, pk)` for one step on a record of `model`.

    `form(request, obj)` builds the form (given request.POST/FILES when posted);
    `save(user, obj, data)` runs the service, `data` being the cleaned data (or the form's
    `service_data()` when it has one); `message` is the text flashed once
    saved (or a callable of the service's result); `detail` the URL name of the record's
    page, where the save leads and the cancel button points. The record comes from
    `restrict(user, action)` (or `queryset(user)` when given) and must pass `allowed(user, obj)` when given (a state the
    step needs, the other side's right): otherwise 404. `lead(obj)` is a line under the
    heading; `context(request, obj)` adds what a `template` extending the step page
    shows; `done(obj, result)` the URL to go to once saved instead of the record's page
    (a copy leads to the copy)."""

    @login_required
    @never_cache
    def view(request, pk):
        records = (
            queryset(request.user)
            if queryset is not None
            else model._default_manager.all().restrict(request.user, action)
        )
        if select_related:
            records = records.select_related(*select_related)
        obj = get_object_or_404(records, pk=pk)
        if allowed is not None and not allowed(request.user, obj):
            raise Http404
        bound = form(request, obj)
        return form_page(
            request,
            bound,
            lambda data: save(request.user, obj, _service_data(bound, data)),
            message,
            done=lambda result: done(obj, result) if done else reverse(detail, args=[obj.pk]),
            template=template,
            context={
                "object": obj,
                "heading": heading,
                "lead": lead(obj) if lead else "",
                "detail_url_name": detail,
                "multipart": bound.is_multipart(),
                **(context(request, obj) if context else {}),
            },
        )

    return view


def _service_data(form, data):
    """What the service gets: the cleaned data, or `form.service_data()` for a form that
    shapes it (one field per indicator gathered into a mapping)."""
    shape = getattr(form, "service_data", None)
    return shape() if callable(shape) else data


def bind(form_class, request, **kwargs):
    """A step's form bound to the POST (and its files) when posted, else unbound."""
    if request.method == "POST":
        return form_class(request.POST, request.FILES, **kwargs)
    return form_class(**kwargs)
