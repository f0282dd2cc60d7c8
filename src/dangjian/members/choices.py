from django.db import models
from django.utils.translation import gettext_lazy as _

ETHNIC_GROUPS = (
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
)
ETHNIC_CHOICES = [(name, name) for name in ETHNIC_GROUPS]
HAN = "汉族"


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("中等专科")
    HIGH_SCHOOL = "high_school", _("高中")
    JUNIOR_OR_BELOW = "junior_or_below", _("初中及以下")


COLLEGE_OR_ABOVE = frozenset({Education.POSTGRADUATE, Education.BACHELOR, Education.COLLEGE})


class PersonType(models.TextChoices):
    TEACHER = "teacher", _("专任教师")
    MANAGER = "manager", _("管理人员")
    SUPPORT = "support", _("教辅人员")
    WORKER = "worker", _("工勤人员")
    STUDENT = "student", _("学生")
    RETIRED = "retired", _("离退休人员")
    OTHER = "other", _("其他")


class Category(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class Backbone(models.TextChoices):
    """The seed's gradient 共产党员→教学能手→学科带头人→骨干教师→名优教师."""

    NONE = "", _("无")
    SKILLED = "skilled", _("教学能手")
    SUBJECT_LEADER = "subject_leader", _("学科带头人")
    BACKBONE = "backbone", _("骨干教师")
    FAMOUS = "famous", _("名优教师")


class Status(models.TextChoices):
    """党籍状态."""

    ACTIVE = "active", _("正常")
    SUSPENDED = "suspended", _("停止党籍")
    MOVED_OUT = "moved_out", _("已转出")
    EXPELLED = "expelled", _("出党")
    LAPSED = "lapsed", _("自行脱党")
    DECEASED = "deceased", _("死亡")
    CANCELLED = "cancelled", _("取消预备党员资格")


class EventKind(models.TextChoices):
    JOINED = "joined", _("入党")
    CONVERTED = "converted", _("转正")
    MOVED_IN = "moved_in", _("转入")
    TRANSFERRED = "transferred", _("系统内调动")
    MOVED_OUT = "moved_out", _("转出")
    SUSPENDED = "suspended", _("停止党籍")
    RESTORED = "restored", _("恢复党籍")
    EXPELLED = "expelled", _("出党")
    LAPSED = "lapsed", _("自行脱党")
    DECEASED = "deceased", _("死亡")
    CANCELLED = "cancelled", _("取消预备党员资格")


# A leaving event ends the member's presence in the system on its date.
LEAVING_EVENTS = {
    EventKind.MOVED_OUT: Status.MOVED_OUT,
    EventKind.SUSPENDED: Status.SUSPENDED,
    EventKind.EXPELLED: Status.EXPELLED,
    EventKind.LAPSED: Status.LAPSED,
    EventKind.DECEASED: Status.DECEASED,
    EventKind.CANCELLED: Status.CANCELLED,
}
