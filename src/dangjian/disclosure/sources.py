"""Records of other modules that can be published to 党务公开: a 组织生活 meeting (as an
活动) and a 先进典型 (as an exemplar). disclosure sits above life and excellence in the
layering (docs/architecture.md), so it reads their models here and adds its section to
their detail pages through core.panels ("meeting", "exemplar"); those modules import
nothing of disclosure. Each source gives the publication's kind and a draft of its title
and text, which the publisher edits before publishing (the draft holds no ID number or
phone; the publish service refuses any that is typed in)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dangjian.disclosure.models import PublicationKind
from dangjian.excellence.models import Exemplar
from dangjian.life.models import Meeting


@dataclass(frozen=True)
class Source:
    key: str
    model: type
    kind: str
    draft: Callable  # obj -> (title, body)


def _meeting_draft(meeting: Meeting) -> tuple[str, str]:
    title = _("%(kind)s: %(title)s") % {"kind": meeting.get_kind_display(), "title": meeting.title}
    lines = [
        _("时间: %(d)s") % {"d": f"{meeting.held_on:%Y年%m月%d日}"},
    ]
    if meeting.place:
        lines.append(_("地点: %(p)s") % {"p": meeting.place})
    if meeting.topic:
        lines.append(
            _("党课题目: %(t)s%(by)s")
            % {
                "t": meeting.topic,
                "by": _(", 主讲人: %(s)s") % {"s": meeting.speaker} if meeting.speaker else "",
            }
        )
    if meeting.expected_count:
        lines.append(
            _("应到%(e)d人, 实到%(p)d人。")
            % {"e": meeting.expected_count, "p": meeting.present_count}
        )
    if meeting.agenda:
        lines.append(_("主要内容: %(a)s") % {"a": meeting.agenda})
    return title, "\n".join(lines)


def _exemplar_draft(exemplar: Exemplar) -> tuple[str, str]:
    title = _("%(level)s%(title)s: %(name)s") % {
        "level": exemplar.get_level_display(),
        "title": exemplar.title,
        "name": exemplar.name,
    }
    lines = [
        _("%(name)s于%(d)s被评为%(level)s%(title)s。")
        % {
            "name": exemplar.name,
            "d": f"{exemplar.recognised_on:%Y年%m月}",
            "level": exemplar.get_level_display(),
            "title": exemplar.title,
        }
    ]
    if exemplar.story:
        lines.append(exemplar.story)
    return title, "\n".join(lines)


SOURCES = {
    "meeting": Source("meeting", Meeting, PublicationKind.ACTIVITY, _meeting_draft),
    "exemplar": Source("exemplar", Exemplar, PublicationKind.EXEMPLAR, _exemplar_draft),
}
