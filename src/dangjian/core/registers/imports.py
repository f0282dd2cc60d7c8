"""An Excel import page for a register: the template's download, the upload checked row by
row through the template's column spec (`core/excel.py`) and the importer's own checks, and
nothing written unless every row passes; otherwise every problem is listed, row by row. The apps declare the `Importer`; this page is
the same for each, `registers/import.html` shows it (an app's own template may extend it for
its breadcrumbs). The problems also stand as the upload field's errors of the page's `form`,
as on any other form page."""

import tempfile
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core.excel import (
    FileProblem,
    Importer,
    RowsRefused,
    read_sheet,
    sha256_file,
    xlsx_response,
)
from dangjian.core.forms import BootstrapMixin
from dangjian.core.validators import mask_id_numbers_in

# How many problems the page lists (the count says how many there are in all).
PROBLEMS_SHOWN = 500


class UploadForm(BootstrapMixin, forms.Form):
    upload = forms.FileField(
        label=gettext_lazy("Excel文件(.xlsx)"),
        error_messages={"required": gettext_lazy("请选择要导入的Excel文件(.xlsx)")},
    )


def _columns(importer: Importer) -> list[tuple]:
    """The template's column guide for the page, with any ID number in a sample masked as
    everywhere on the pages (the downloaded template keeps the full sample)."""
    return [
        (
            header,
            requirement,
            note,
            mask_id_numbers_in(sample) if isinstance(sample, str) else sample,
        )
        for header, requirement, note, sample in importer.template.describe()
    ]


def _read_upload(upload):
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        return read_sheet(handle.name), sha256_file(handle.name)


def import_page(
    request,
    importer: Importer,
    *,
    heading,
    intro,
    filename: str,
    done: str,
    template_download: Callable[[], bytes] | None = None,
    context: dict | None = None,
    template: str = "registers/import.html",
):
    """GET: the page (`?template=1`: the template workbook, or `template_download()`, e.g.
    one pre-filled with the rows to complete). POST: check the upload; all good, apply it
    and go to `done` (a URL) with the counts; else list every problem, nothing written."""
    form = UploadForm(request.POST or None, request.FILES or None)
    page = {
        "heading": heading,
        "intro": intro,
        "columns": _columns(importer),
        "problems": [],
        "form": form,
        **(context or {}),
    }
    if request.GET.get("template"):
        content = template_download() if template_download else None
        return xlsx_response(content or importer.template.template_workbook(), filename)
    if request.method != "POST":
        return render(request, template, page)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["upload"]))
        return render(request, template, page)
    upload = form.cleaned_data["upload"]

    def refuse(message):
        messages.error(request, message)
        form.add_error("upload", message)
        return render(request, template, page)

    try:
        sheet, sha = _read_upload(upload)
        parsed = importer.template.parse(sheet)
    except FileProblem as exc:
        return refuse(str(exc))
    problems = list(parsed.problems)
    plan = importer.check(request.user, parsed.rows, problems, None)
    if not problems and not parsed.rows:
        return refuse(_("文件中没有数据行"))
    if not problems:
        try:
            with transaction.atomic():
                created, updated, _changed = importer.apply(
                    request.user, plan.data, source=upload.name[:200], sha256=sha
                )
        except RowsRefused:
            if not problems:  # a writer that refuses rows must tell why
                raise
    elif plan.rest is not None:
        plan.rest()
    if problems:
        shown = problems[:PROBLEMS_SHOWN]
        page.update(problems=shown, problem_count=len(problems))
        form.add_error("upload", [str(problem) for problem in shown])
        return render(request, template, page)
    messages.success(request, _("已导入: 新增%(c)d条, 更新%(u)d条") % {"c": created, "u": updated})
    return redirect(done)
