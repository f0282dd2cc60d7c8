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


def rules_changed_midyear(world):
    """General meetings monthly from 2024-07; 党课 monthly from 2024-09, quarterly from
    2025-02 (so January's monthly slot and the first quarter share 1 January)."""
    admin = world.users["city_admin"]
    admin.is_superuser = True
    services.set_frequency(admin, kind="general", frequency="monthly", effective_from=D(2024, 7, 1))
    services.set_frequency(admin, kind="lecture", frequency="monthly", effective_from=D(2024, 9, 1))
    services.set_frequency(
        admin, kind="lecture", frequency="quarterly", effective_from=D(2025, 2, 1)
    )
