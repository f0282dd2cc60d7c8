"""The register kit: see base.py. Apps declare registers in their `registers.py` and import
it from their AppConfig.ready()."""

from dangjian.core.registers.base import (
    Column,
    DefaultChoiceFilter,
    Notice,
    OrgChoiceFilter,
    Register,
    TodoItem,
    register,
    registry,
    todo_items,
)

__all__ = [
    "Column",
    "DefaultChoiceFilter",
    "Notice",
    "OrgChoiceFilter",
    "Register",
    "TodoItem",
    "register",
    "registry",
    "todo_items",
]
