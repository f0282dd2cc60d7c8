"""An Excel import page for a register: the template's download, the upload checked row by
row through the template's column spec (`core/excel.py`) and the importer's own checks, and
nothing written unless every row passes; otherwise every problem is listed, row by row. The apps declare the `Importer`; this page is
the same for each, `registers/import.html` shows it."""

import tempfile
from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dangjian.core.excel import (
    FileProblem,
    Importer,
    read_sheet,
    sha256_file,
    xlsx_response,
)

# How many problems the page lists (the count says how many there are in all).
PROBLEMS_SHOWN = 500


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
    page = {
        "heading": heading,
        "intro": intro,
        "columns": importer.template.describe(),
        "problems": [],
        **(context or {}),
    }
    if request.GET.get("template"):
        content = template_download() if template_download else None
        return xlsx_response(content or importer.template.template_workbook(), filename)
    upload = request.FILES.get("upload") if request.method == "POST" else None
    if request.method == "POST" and upload is None:
        messages.error(request, _("请选择要导入的Excel文件(.xlsx)"))
    if upload is None:
        return render(request, template, page)
    try:
        sheet, sha = _read_upload(upload)
        parsed = importer.template.parse(sheet)
    except FileProblem as exc:
        messages.error(request, str(exc))
        return render(request, template, page)
    problems = list(parsed.problems)
    plan = importer.check(request.user, parsed.rows, problems, None)
    if problems:
        page.update(problems=problems[:PROBLEMS_SHOWN], problem_count=len(problems))
        return render(request, template, page)
    if not parsed.rows:
        messages.error(request, _("文件中没有数据行"))
        return render(request, template, page)
    created, updated, _changed = importer.apply(
        request.user, plan.data, source=upload.name[:200], sha256=sha
    )
    messages.success(request, _("已导入: 新增%(c)d条, 更新%(u)d条") % {"c": created, "u": updated})
    return redirect(done)
