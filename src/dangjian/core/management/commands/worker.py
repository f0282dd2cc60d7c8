"""`dangjian worker`: runs background jobs for whichever queue is configured, so operators
learn one command: django-tasks-db's `db_worker` for the embedded default, an RQ worker
(django-rq's `rqworker` with django-tasks-rq's job class) for DANGJIAN_TASKS=rq."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dangjian.core.health import DATABASE_TASKS, RQ_TASKS, task_backend

RQ_JOB_CLASS = "django_tasks_rq.backend.Job"


class Command(BaseCommand):
    help = _("运行后台任务进程 (导入、大批量导出、报告文档)")

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help=_("处理完队列中已有的任务后退出"))

    def handle(self, *args, burst: bool = False, **options):
        current = task_backend()
        if current == DATABASE_TASKS:
            extra = ["--batch"] if burst else []
            call_command("db_worker", "--no-reload", *extra)
        elif current == RQ_TASKS:
            queues = settings.TASKS["default"].get("QUEUES") or ["default"]
            call_command("rqworker", *queues, job_class=RQ_JOB_CLASS, burst=burst)
        else:
            raise CommandError(_("当前配置的后台任务方式无需单独的任务进程"))
