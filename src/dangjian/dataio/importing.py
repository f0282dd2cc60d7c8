"""One import, whoever asks (the command line, the background job): read the file through
the safety checks, parse every cell by the template, check every row against the
database, and only when there is no problem at all write it, in one transaction."""

import contextlib
import gc
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.core.excel import (
    CellProblem,
    Importer,
    RowsRefused,
    SheetData,
    read_sheet,
    registered_importer,
    sha256_file,
)
from dangjian.dataio.models import Kind
from dangjian.members.excel import MEMBER_IMPORTER
from dangjian.orgs.excel import ORG_IMPORTER, SCHOOL_IMPORTER

logger = logging.getLogger(__name__)


class _Importers(Mapping):
    """Kind -> Importer: the templates of the apps below dataio, and those an app beside
    it registers through core.excel.register_importer (发展党员: recruitment)."""

    def __init__(self, own: dict[str, Importer]):
        self._own = own

    def __getitem__(self, kind: str) -> Importer:
        found = self._own.get(kind) or registered_importer(kind)
        if found is None:
            raise KeyError(kind)
        return found

    def __iter__(self):
        return (kind for kind in Kind.values if kind in self)

    def __len__(self) -> int:
        return sum(1 for _kind in self)

    def __contains__(self, kind) -> bool:
        return kind in self._own or registered_importer(kind) is not None


IMPORTERS: Mapping[str, Importer] = _Importers(
    {
        Kind.ORGS: ORG_IMPORTER,
        Kind.SCHOOLS: SCHOOL_IMPORTER,
        Kind.MEMBERS: MEMBER_IMPORTER,
    }
)


@dataclass
class Outcome:
    sha256: str
    rows: int = 0
    to_create: int = 0
    to_update: int = 0
    created: int = 0
    updated: int = 0
    changed: int = 0
    written: bool = False
    problems: list[CellProblem] = field(default_factory=list)
    # Not problems: the rows are written all the same (see MemberPlan.warnings).
    warnings: list[str] = field(default_factory=list)
    sheet: SheetData | None = None


def _no_progress(fraction: float, phase: str) -> None:
    return None


def sort_problems(importer: Importer, problems: list[CellProblem]) -> list[CellProblem]:
    order = {header: i for i, header in enumerate(importer.template.headers)}
    return sorted(problems, key=lambda p: (p.row, order.get(p.column, len(order))))


@contextlib.contextmanager
def _without_gc():
    """An import allocates hundreds of thousands of small objects and frees them together;
    the cyclic collector would walk them again and again for nothing (about a tenth of the
    time of a 100,000-row file)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_import(
    kind: str,
    path,
    actor,
    *,
    dry_run: bool,
    source: str,
    progress: Callable[[float, str], None] | None = None,
    keep_sheet: bool = False,
) -> Outcome:
    """Raises core.excel.FileProblem for an unusable file. Otherwise returns the outcome:
    with problems nothing was written; with `dry_run` nothing is written either."""
    with _without_gc():
        return _run_import(
            kind,
            path,
            actor,
            dry_run=dry_run,
            source=source,
            progress=progress or _no_progress,
            keep_sheet=keep_sheet,
        )


def _check_rest(plan) -> None:
    if plan.rest is not None:
        plan.rest()


def _run_import(kind, path, actor, *, dry_run, source, progress, keep_sheet) -> Outcome:
    importer = IMPORTERS[kind]
    progress(0.02, _("正在读取文件"))
    sha256 = sha256_file(path)
    sheet = read_sheet(path)
    progress(0.2, _("正在检查各列"))
    parsed = importer.template.parse(sheet)
    outcome = Outcome(sha256=sha256, rows=len(parsed.rows))
    if keep_sheet:
        outcome.sheet = sheet
    else:
        del sheet
        parsed.sheet = None
    problems = parsed.problems
    progress(0.35, _("正在校验数据"))

    def checking(fraction: float) -> None:
        progress(0.35 + 0.45 * fraction, _("正在校验数据"))

    if dry_run:
        plan = importer.check(actor, parsed.rows, problems, checking)
        _check_rest(plan)
    else:
        try:
            with transaction.atomic():
                plan = importer.check(actor, parsed.rows, problems, checking)
                # The parsed cells are no longer needed: free them before the writes.
                parsed.rows.clear()
                if problems:
                    _check_rest(plan)
                else:
                    progress(0.8, _("正在写入数据库"))
                    outcome.created, outcome.updated, outcome.changed = importer.apply(
                        actor, plan.data, source=source, sha256=sha256
                    )
                    outcome.written = True
        except RowsRefused:
            if not problems:  # a writer that refuses rows must tell why
                raise
    outcome.problems = sort_problems(importer, problems)
    if not problems:
        outcome.to_create, outcome.to_update = plan.to_create, plan.to_update
        outcome.warnings = [
            *(
                _("第%(row)d行是模板自带的示例行, 未导入") % {"row": number}
                for number in parsed.sample_rows
            ),
            *getattr(plan.data, "warnings", []),
        ]
    progress(1.0, _("完成"))
    return outcome
