"""The document library's own pages (upload, new version, download through the upload
store) and the publishing actions; and the public portal (`/public/`), which needs no login,
shows only what is published and in force, and may be cached by browsers and proxies."""

import datetime as dt
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_POST, require_safe

from dangjian.core import uploads
from dangjian.core.forms import form_page
from dangjian.core.roles import Action
from dangjian.core.scope import can
from dangjian.core.views import paginate, query_without_page
from dangjian.disclosure import services
from dangjian.disclosure.forms import (
    DocumentForm,
    DuesPublicationForm,
    RecordPublicationForm,
    VersionForm,
)
from dangjian.disclosure.models import (
    Document,
    DocumentVersion,
    Publication,
    PublicationKind,
    live_q,
)
from dangjian.disclosure.sources import SOURCES
from dangjian.excellence.models import Commitment
from dangjian.orgs.models import Organization
from dangjian.recruitment.models import Step

# -- the library -----------------------------------------------------------------------------


@login_required
@never_cache
def document_create(request):
    if not can(request.user, Action.ADD):
        raise Http404
    form = DocumentForm(request.POST or None, request.FILES or None, user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.create_document(
            request.user,
            org=data["org"],
            category=data["category"],
            title=data["title"],
            description=data.get("description") or "",
            issued_on=data.get("issued_on"),
            upload=data["upload"],
            note=data.get("note") or "",
        ),
        _("文件已上传"),
        done=lambda document: reverse("document-detail", args=[document.pk]),
        template="disclosure/upload.html",
        context={"title": _("上传文件"), "document": None},
    )


@login_required
@never_cache
def version_add(request, pk):
    document = get_object_or_404(Document.objects.restrict(request.user, Action.CHANGE), pk=pk)
    form = VersionForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        lambda data: services.add_version(
            request.user, document, data["upload"], data.get("note") or ""
        ),
        _("已上传新版本"),
        done=reverse("document-detail", args=[document.pk]),
        template="disclosure/upload.html",
        context={"title": _("上传新版本"), "document": document},
    )


@login_required
@never_cache
@require_safe
def version_download(request, pk):
    version = get_object_or_404(DocumentVersion.objects.restrict(request.user, Action.VIEW), pk=pk)
    return uploads.download(request, version.file_id)


@login_required
@never_cache
def publish_dues(request):
    if not can(request.user, Action.ADD):
        raise Http404
    form = DuesPublicationForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.publish_dues(
            request.user,
            org=data["org"],
            first_month=data["first_month"],
            last_month=data["last_month"],
            per_person=data.get("per_person") or False,
            published_on=data["published_on"],
            expires_on=data["expires_on"],
        ),
        _("已发布党费收缴情况"),
        done=lambda pub: reverse("publication-detail", args=[pub.pk]),
        template="disclosure/publish_dues.html",
        context={"title": _("公开党费收缴情况")},
    )


@login_required
@never_cache
def publish_record(request, pk, source):
    """Publish a 组织生活 meeting or a 先进典型 to 党务公开, from the record's own page (the
    section disclosure adds to it): the draft drawn from the record, edited, then the
    publish service (dated, audited, refused if it holds an ID number or phone)."""
    found = SOURCES.get(source)
    if found is None:
        raise Http404
    record = get_object_or_404(
        found.model.objects.restrict(request.user, Action.VIEW).select_related("org"), pk=pk
    )
    if (
        not Organization.objects.restrict(request.user, Action.ADD)
        .filter(pk=record.org_id)
        .exists()
    ):
        raise Http404
    form = RecordPublicationForm(request.POST or None, draft=found.draft(record))
    return form_page(
        request,
        form,
        lambda data: services.publish_record(
            request.user,
            source,
            record,
            title=data["title"],
            body=data.get("body") or "",
            published_on=data["published_on"],
            expires_on=data["expires_on"],
        ),
        _("已发布到党务公开"),
        done=lambda pub: reverse("publication-detail", args=[pub.pk]),
        template="disclosure/publish_record.html",
        context={"title": _("发布到党务公开"), "record": record, "source": found},
    )


def source_panel(source_key: str):
    """The section disclosure adds to a meeting's or an exemplar's page (core.panels): what
    of it is published and a button to publish it, for those who may."""

    def context(request, record):
        user = request.user
        may_publish = (
            Organization.objects.restrict(user, Action.ADD).filter(pk=record.org_id).exists()
        )
        publications = list(
            Publication.objects.restrict(user, Action.VIEW)
            .filter(source_type=source_key, source_id=record.pk)
            .order_by("-published_on", "-id")
        )
        if not may_publish and not publications:
            return None
        return {
            "publications": publications,
            "publish_url": reverse(f"publication-from-{source_key}", args=[record.pk])
            if may_publish
            else None,
            "today": _today(),
        }

    return context


@login_required
@never_cache
@require_POST
def withdraw(request, pk):
    publication = get_object_or_404(
        Publication.objects.restrict(request.user, Action.CHANGE), pk=pk
    )
    try:
        services.withdraw(request.user, publication)
    except Exception as exc:  # noqa: BLE001 - a ValidationError's message for the user
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("已撤回"))
    return redirect("publication-detail", pk=publication.pk)


# -- the public portal -----------------------------------------------------------------------

portal_cache = cache_control(public=True, max_age=settings.DANGJIAN_PORTAL_MAX_AGE)
SECTIONS = (
    PublicationKind.NOTICE,
    PublicationKind.DUES,
    PublicationKind.ACTIVITY,
    PublicationKind.EXEMPLAR,
    PublicationKind.COMMITMENT,
    PublicationKind.DOCUMENT,
)
SHOWN = 50


def _today() -> dt.date:
    return timezone.localdate()


def publicity_steps(org: Organization | None, day: dt.date):
    """发展对象公示 in force on `day` in the org's subtree (everywhere for None): the
    pipeline's 公示 step, from its first to its last day, while the person's pipeline is
    open."""
    return (
        Step.objects.filter(
            key="publicity",
            on__lte=day,
            end_on__gte=day,
            recruit__org__path__startswith=org.path if org is not None else "",
            recruit__closed_on__isnull=True,
        )
        .select_related("recruit__org", "recruit__work_unit")
        .order_by("-on", "recruit__name")
    )


@require_safe
@portal_cache
def portal_index(request):
    day = _today()
    orgs = (
        Organization.objects.filter(live_q(day, "publications__"))
        .annotate(n=Count("publications", filter=live_q(day, "publications__")))
        .order_by("path")
    )
    latest = (
        Publication.objects.live(day).select_related("org").order_by("-published_on", "-id")[:20]
    )
    return render(
        request,
        "disclosure/portal/index.html",
        {
            "orgs": orgs,
            "latest": latest,
            "publicity": list(publicity_steps(None, day)[:SHOWN]),
            "today": day,
        },
    )


@require_safe
@portal_cache
def portal_org(request, code):
    org = get_object_or_404(Organization, code=code)
    day = _today()
    live = (
        Publication.objects.live(day)
        .filter(org__path__startswith=org.path)
        .select_related("org")
        .order_by("-published_on", "-id")
    )
    sections = []
    for kind in SECTIONS:
        items = list(live.filter(kind=kind)[:SHOWN])
        sections.append((kind, PublicationKind(kind).label, items))
    return render(
        request,
        "disclosure/portal/org.html",
        {
            "org": org,
            "sections": sections,
            "publicity": list(publicity_steps(org, day)[:SHOWN]),
            "commitments": public_commitments(org, day).count(),
            "today": day,
            "children": Organization.objects.filter(
                live_q(day, "publications__"), path__startswith=org.path, depth=org.depth + 1
            )
            .distinct()
            .order_by("path"),
        },
    )


def public_commitments(org: Organization, day: dt.date, text: str = "", year: int | None = None):
    """党员公开承诺 the portal shows for the org's subtree: only those excellence holds public
    on `day` (published, the member and the branch both agreeing); never the member's ID
    number or phone (the page shows name, branch, year and the text, which the publishing
    service refused if it held either)."""
    rows = Commitment.objects.public(day).filter(org__path__startswith=org.path)
    if text:
        rows = rows.filter(Q(member__name__icontains=text) | Q(text__icontains=text))
    if year:
        rows = rows.filter(year=year)
    return rows.select_related("org", "member").order_by("-year", "org__path", "id")


@require_safe
@portal_cache
def portal_commitments(request, code):
    """An org's 党员公开承诺 (its subtree), searchable by name or text, by year, paginated."""
    org = get_object_or_404(Organization, code=code)
    text = (request.GET.get("q") or "").strip()[:50]
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    page = paginate(
        request,
        public_commitments(org, _today(), text, year).only(
            "year", "text", "published_on", "org__name", "member__name"
        ),
    )
    return render(
        request,
        "disclosure/portal/commitments.html",
        {
            "org": org,
            "page": page,
            "q": text,
            "year": year,
            "query": query_without_page(request),
        },
    )


def _live_publication(code, pk):
    org = get_object_or_404(Organization, code=code)
    return get_object_or_404(
        Publication.objects.live(_today())
        .filter(org__path__startswith=org.path)
        .select_related("org", "document"),
        pk=pk,
    ), org


@require_safe
@portal_cache
def portal_publication(request, code, pk):
    publication, org = _live_publication(code, pk)
    return render(
        request,
        "disclosure/portal/publication.html",
        {"publication": publication, "org": org, "lines": publication.body.splitlines()},
    )


@require_safe
@portal_cache
def portal_file(request, code, pk):
    """The current version of a published document, while the publication is in force."""
    publication, _org = _live_publication(code, pk)
    if publication.document is None:
        raise Http404
    version = publication.document.versions.select_related("file").order_by("-number").first()
    if version is None:
        raise Http404
    stored = version.file
    with uploads.open_stored(stored) as handle:
        content = handle.read()
    response = FileResponse(iter([content]), content_type=stored.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(stored.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
