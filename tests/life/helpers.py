import datetime as dt

from dangjian.core.context import CLI
from dangjian.life import services

D = dt.date


def meeting(org, kind="general", held_on=None, **extra):
    held_on = held_on or D(2025, 3, 1)
    fields = {"title": f"{org.name}{kind}{held_on}", **extra}
    if kind == "lecture":
        fields.setdefault("speaker", "书记")
        fields.setdefault("topic", "党章学习")
    return services.create_meeting(CLI, org=org, kind=kind, held_on=held_on, **fields)
