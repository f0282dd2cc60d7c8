"""Every write of 党务公开 and the document library: scope checked, validated in Chinese,
audited, in one transaction. Uploads go through the upload store (core.uploads)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit, uploads
from dangjian.core.roles import Action
from dangjian.core.scope import require
from dangjian.core.validators import personal_data_in
from dangjian.disclosure import extract, search
from dangjian.disclosure.models import (
    Document,
    DocumentCategory,
    DocumentVersion,
    Publication,
    PublicationKind,
)
from dangjian.dues.attribution import in_subtree
from dangjian.dues.models import DuesMonth, DuesPayment
from dangjian.orgs.models import Organization

DOCUMENT_KINDS = ("docx", "pdf")
UNAUDITED = ("created_at",)


class Problems:
    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _today() -> dt.date:
    return timezone.localdate()


# -- documents -------------------------------------------------------------------------------


def _refresh_search(document: Document, text: str | None = None) -> None:
    if text is None:
        current = document.versions.order_by("-number").first()
        text = current.text if current else ""
    document.search_text = "\n".join(
        part for part in (document.title, document.description, text) if part
    )
    document.save(update_fields=["search_text", "updated_at"])
    search.index_document(document)


def _check_document(title, category, problems: Problems) -> None:
    if not (title or "").strip():
        problems.add("title", _("请填写名称"))
    if category not in DocumentCategory.values:
        problems.add("category", _("请选择类别"))


def _store_version(actor, document: Document, upload, note: str) -> DocumentVersion:
    stored = uploads.save(
        actor, upload, org_path=document.org.path, kinds=DOCUMENT_KINDS, action=Action.VIEW
    )
    with uploads.open_stored(stored) as handle:
        text = extract.text_of(stored.kind, handle.read())
    document.version_count += 1
    document.save(update_fields=["version_count", "updated_at"])
    version = DocumentVersion.objects.create(
        document=document,
        number=document.version_count,
        file=stored,
        text=text,
        note=note,
        uploaded_by=getattr(actor, "username", "") or "",
    )
    audit.created(actor, version, org_path=document.org.path)
    _refresh_search(document, text)
    return version


@transaction.atomic
def create_document(
    actor,
    *,
    org: Organization,
    category: str,
    title: str,
    upload,
    description: str = "",
    issued_on: dt.date | None = None,
    note: str = "",
) -> Document:
    require(actor, Action.ADD, org)
    problems = Problems()
    _check_document(title, category, problems)
    if upload is None:
        problems.add("upload", _("请选择文件(.docx或PDF)"))
    problems.raise_if_any()
    document = Document.objects.create(
        org=org,
        category=category,
        title=title.strip(),
        description=description or "",
        issued_on=issued_on,
    )
    audit.created(actor, document, org_path=org.path)
    try:
        _store_version(actor, document, upload, note)
    except ValidationError as exc:
        raise ValidationError({"upload": exc.messages}) from None
    return document


@transaction.atomic
def add_version(actor, document: Document, upload, note: str = "") -> DocumentVersion:
    require(actor, Action.CHANGE, document)
    try:
        return _store_version(actor, document, upload, note)
    except ValidationError as exc:
        raise ValidationError({"upload": exc.messages}) from None


@transaction.atomic
def update_document(actor, document: Document, **data) -> Document:
    require(actor, Action.CHANGE, document)
    problems = Problems()
    title = data.get("title", document.title)
    category = data.get("category", document.category)
    _check_document(title, category, problems)
    problems.raise_if_any()
    before = audit.state(document)
    document.title = title.strip()
    document.category = category
    document.description = data.get("description", document.description) or ""
    document.issued_on = data.get("issued_on", document.issued_on)
    document.save()
    audit.changed(actor, document, before, org_path=document.org.path)
    _refresh_search(document)
    return document


@transaction.atomic
def delete_document(actor, document: Document) -> None:
    require(actor, Action.DELETE, document)
    if document.publications.exists():
        raise ValidationError(_("该文件已在党务公开中公开过, 不能删除"))
    audit.deleted(actor, document, org_path=document.org.path)
    files = [version.file for version in document.versions.select_related("file")]
    pk = document.pk
    document.delete()
    for stored in files:
        uploads.delete(actor, stored)
    search.unindex_document(pk)


@dataclass(frozen=True)
class LibraryEntry:
    """One document of a bulk load: its org, category, title and one file (.docx or PDF)."""

    org: Organization
    category: str
    title: str
    filename: str
    content: bytes
    description: str = ""
    issued_on: dt.date | None = None


@transaction.atomic
def bulk_load_documents(actor, entries: list[LibraryEntry], *, org: Organization, note: str):
    """Many documents at once (the demo's library, a migration from another system), each
    with its first version: the same checks as one at a time (scope of every org, title and
    category, the file's type read from its bytes), the files through the upload store in
    one batch, the text of each distinct file extracted once, the rows and the search index
    written in bulk, and one audit row for the batch (filed under `org`, which holds them
    all). Returns the documents."""
    problems = Problems()
    for org_of_entry in {entry.org.pk: entry.org for entry in entries}.values():
        require(actor, Action.ADD, org_of_entry)
        if not org_of_entry.path.startswith(org.path):
            problems.add("org", _("批量写入的文件不在%(org)s之下") % {"org": org.name})
    for entry in entries:
        _check_document(entry.title, entry.category, problems)
    problems.raise_if_any()
    stored = uploads.save_many(
        actor,
        [(entry.filename, entry.content, entry.org.path) for entry in entries],
        org_path=org.path,
        kinds=DOCUMENT_KINDS,
        note=note,
    )
    texts: dict[str, str] = {}
    for file in stored:
        if file.sha256 not in texts:
            with uploads.open_stored(file) as handle:
                texts[file.sha256] = extract.text_of(file.kind, handle.read())
    documents = Document.objects.bulk_create(
        [
            Document(
                org=entry.org,
                category=entry.category,
                title=entry.title.strip(),
                description=entry.description,
                issued_on=entry.issued_on,
                version_count=1,
                search_text="\n".join(
                    part
                    for part in (entry.title.strip(), entry.description, texts[file.sha256])
                    if part
                ),
            )
            for entry, file in zip(entries, stored, strict=True)
        ],
        batch_size=500,
    )
    who = getattr(actor, "username", "") or ""
    DocumentVersion.objects.bulk_create(
        [
            DocumentVersion(
                document=document, number=1, file=file, text=texts[file.sha256], uploaded_by=who
            )
            for document, file in zip(documents, stored, strict=True)
        ],
        batch_size=500,
    )
    search.index_many(documents)
    audit.batch(
        actor,
        audit.AuditAction.CREATE,
        org_path=org.path,
        object_repr=note,
        documents=len(documents),
    )
    return documents


# -- publications ----------------------------------------------------------------------------


@transaction.atomic
def publish(
    actor,
    *,
    org: Organization,
    kind: str,
    title: str,
    body: str = "",
    published_on: dt.date,
    expires_on: dt.date,
    document: Document | None = None,
    source_type: str = "",
    source_id: int | None = None,
) -> Publication:
    """Put something on the org's public page from `published_on` to `expires_on` (both
    included). The text is refused if it holds an ID number or a mobile number.
    `source_type`/`source_id`: the record of another module it comes from (publish_record)."""
    require(actor, Action.ADD, org)
    problems = Problems()
    if kind not in PublicationKind.values:
        problems.add("kind", _("请选择类型"))
    if not (title or "").strip():
        problems.add("title", _("请填写标题"))
    if expires_on < published_on:
        problems.add("expires_on", _("截止日期不能早于公开日期"))
    elif expires_on < _today():
        problems.add("expires_on", _("截止日期已过, 公开后不会显示"))
    if personal_data_in(title) or personal_data_in(body):
        problems.add("body", _("公开内容中不能包含身份证号码或手机号码"))
    if kind == PublicationKind.DOCUMENT:
        if document is None:
            problems.add("document", _("请选择要公开的文件"))
        elif not document.org.path.startswith(org.path):
            problems.add("document", _("只能公开本组织及下级组织的文件"))
        elif not document.versions.exists():
            problems.add("document", _("该文件还没有上传内容"))
    problems.raise_if_any()
    publication = Publication.objects.create(
        org=org,
        kind=kind,
        title=title.strip(),
        body=body or "",
        published_on=published_on,
        expires_on=expires_on,
        document=document if kind == PublicationKind.DOCUMENT else None,
        source_type=source_type,
        source_id=source_id,
        published_by=getattr(actor, "username", "") or "",
    )
    audit.created(actor, publication, org_path=org.path, exclude=UNAUDITED)
    return publication


@transaction.atomic
def publish_record(
    actor,
    source_key: str,
    record,
    *,
    title: str,
    body: str = "",
    published_on: dt.date,
    expires_on: dt.date,
) -> Publication:
    """Publish a record of another module (a 组织生活 meeting as an 活动, a 先进典型) on its
    org's public page: the publisher must see the record and may publish for its org; the
    text (drafted from the record, edited by the publisher) passes the same checks as any
    publication, and the publication remembers where it came from."""
    from dangjian.disclosure.sources import SOURCES

    source = SOURCES.get(source_key)
    if source is None or not isinstance(record, source.model):
        raise ValidationError(_("不能公开此类记录"))
    require(actor, Action.VIEW, record)
    return publish(
        actor,
        org=record.org,
        kind=source.kind,
        title=title,
        body=body,
        published_on=published_on,
        expires_on=expires_on,
        source_type=source.key,
        source_id=record.pk,
    )


@transaction.atomic
def withdraw(actor, publication: Publication) -> Publication:
    require(actor, Action.CHANGE, publication)
    if publication.withdrawn_on is not None:
        raise ValidationError(_("已撤回"))
    before = audit.state(publication, exclude=UNAUDITED)
    publication.withdrawn_on = _today()
    publication.save(update_fields=["withdrawn_on"])
    audit.changed(actor, publication, before, org_path=publication.org.path, exclude=UNAUDITED)
    return publication


def dues_summary(org: Organization, first: dt.date, last: dt.date, per_person: bool) -> str:
    """The dues figures of the org's subtree for the months first..last, as the text that
    is published (totals; the members' amounts only when chosen). A month counts under the
    org the member belonged to in it (dues.attribution)."""
    months = DuesMonth.objects.order_by().filter(
        in_subtree(org.path), month__gte=first, month__lte=last
    )
    totals = months.aggregate(due=Sum("due"), paid=Sum("paid"))
    due, paid = totals["due"] or Decimal(0), totals["paid"] or Decimal(0)
    members = months.values("member_id").distinct().count()
    voluntary = DuesPayment.objects.order_by().filter(
        in_subtree(org.path),
        kind="voluntary",
        paid_on__gte=first,
        paid_on__lt=last.replace(day=28) + dt.timedelta(days=4),
    ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    rate = f"{(paid / due * 100):.1f}%" if due else "—"
    lines = [
        _(
            "%(first)s至%(last)s, %(org)s应交纳党费的党员%(n)d名, 应交%(due)s元, 实交%(paid)s元,"
            " 交纳率%(rate)s; 自愿多交%(vol)s元。"
        )
        % {
            "first": f"{first:%Y年%m月}",
            "last": f"{last:%Y年%m月}",
            "org": org.name,
            "n": members,
            "due": f"{due:.2f}",
            "paid": f"{paid:.2f}",
            "rate": rate,
            "vol": f"{voluntary:.2f}",
        }
    ]
    if per_person:
        rows = (
            months.values("member__name")
            .annotate(paid=Sum("paid"), due=Sum("due"))
            .order_by("member__name")
        )
        lines.append(_("党员交纳情况(应交/实交, 元):"))
        lines += [f"{r['member__name']}: {r['due']:.2f} / {r['paid']:.2f}" for r in rows]
    return "\n".join(lines)


def publish_dues(
    actor,
    *,
    org: Organization,
    first_month: dt.date,
    last_month: dt.date,
    published_on: dt.date,
    expires_on: dt.date,
    per_person: bool = False,
) -> Publication:
    first, last = first_month.replace(day=1), last_month.replace(day=1)
    if last < first:
        raise ValidationError({"last_month": _("截止月份不能早于起始月份")})
    require(actor, Action.ADD, org)
    title = _("%(org)s党费收缴情况公示(%(a)s—%(b)s)") % {
        "org": org.name,
        "a": f"{first:%Y.%m}",
        "b": f"{last:%Y.%m}",
    }
    return publish(
        actor,
        org=org,
        kind=PublicationKind.DUES,
        title=title,
        body=dues_summary(org, first, last, per_person),
        published_on=published_on,
        expires_on=expires_on,
    )
