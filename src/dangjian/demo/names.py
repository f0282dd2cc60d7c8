"""Place names and naming pools for 示例市 ("两县一区", modelled on a city of 宁夏).

The district's towns are the ones the seed speech names (兴仁, 永康, 常乐) and their
neighbours; the counties' towns are invented in the same style. Village names are drawn
from the two syllable pools, so every village school has a believable, distinct name.
"""

CITY = "示例市"

# (code suffix, name of the 学区) of the district; the first two are urban.
DISTRICT_URBAN_AREAS = (("XQ01", "鼓楼"), ("XQ02", "文昌"))
DISTRICT_TOWNS = (
    ("XQ03", "兴仁"),
    ("XQ04", "永康"),
    ("XQ05", "常乐"),
    ("XQ06", "宣和"),
    ("XQ07", "镇罗"),
    ("XQ08", "柔远"),
    ("XQ09", "东园"),
    ("XQ10", "迎水"),
    ("XQ11", "香山"),
    ("XQ12", "蒿川"),
)
# Towns of the district that have a 初级中学 and a 九年一贯制学校 (seed: 兴仁学区 sent its
# high-school pupils to 一中, so 兴仁 keeps a 初中 only).
DISTRICT_JUNIOR_TOWNS = ("兴仁", "永康", "常乐", "宣和", "镇罗", "柔远")
# (school name stem, 学区): 胜金 is a village of 柔远.
DISTRICT_NINE_YEAR = (
    ("东园", "东园"),
    ("迎水", "迎水"),
    ("香山", "香山"),
    ("蒿川", "蒿川"),
    ("胜金", "柔远"),
)
DISTRICT_TOWN_SUFFIX = {"香山": "乡", "蒿川": "乡"}
# Village schools per town 学区 and the sizes of the 联合党支部 formed among the smallest of
# them in 2009-2010; the other villages have a 党支部 each.
DISTRICT_VILLAGES = {
    "兴仁": (9, (4, 3)),
    "永康": (8, (3, 3)),
    "常乐": (8, (3, 2)),
    "宣和": (7, (3, 2)),
    "镇罗": (7, (2, 2)),
    "柔远": (7, (2,)),
    "东园": (6, (2,)),
    "迎水": (6, (2,)),
    "香山": (6, (2,)),
    "蒿川": (6, (2,)),
}

COUNTY_TOWNS = {
    "XIAN1": ("宁安镇", "鸣沙镇", "石空镇", "新堡镇", "恩和镇", "舟塔乡", "白马乡", "余丁乡"),
    "XIAN2": (
        "海城镇",
        "李旺镇",
        "西安镇",
        "七营镇",
        "三河镇",
        "史店乡",
        "树台乡",
        "关桥乡",
        "贾塘乡",
        "郑旗乡",
    ),
}

VILLAGE_FIRST = tuple(
    "永枣沙黄红新东西南北高柳杨丰河泉山营孟团石马白双三长大小上下前后张李刘郭康金兴和"
)
VILLAGE_SECOND = tuple("南林坡庄滩湾泉井渠台园河堡营沟塘源丰和安乐康平宁湖岔桥峰川家")

CHINESE_NUMBERS = (
    "",
    *["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"],
)

# Common surnames among 回族 families of the region; a Hui member's surname is drawn from
# here most of the time, so names look like the region's.
HUI_SURNAMES = ("马", "马", "马", "杨", "海", "白", "丁", "金", "纳", "李", "田", "苏", "锁", "拜")
OTHER_MINORITIES = ("满族", "蒙古族", "东乡族", "土族", "壮族")

MOBILE_PREFIXES = [
    "130",
    "131",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "157",
    "158",
    "159",
    "173",
    "177",
    "180",
    "181",
    "182",
    "183",
    "186",
    "187",
    "189",
    "191",
    "199",
]

TEACHER_TITLES_BY_AGE = (
    # (minimum age, titles with weights)
    (45, (("中小学高级教师", 60), ("中小学一级教师", 35), ("正高级教师", 5))),
    (33, (("中小学一级教师", 60), ("中小学高级教师", 30), ("中小学二级教师", 10))),
    (26, (("中小学二级教师", 55), ("中小学一级教师", 45))),
    (0, (("中小学二级教师", 70), ("中小学三级教师", 30))),
)
SUPPORT_TITLES = (("实验师", 3), ("助理实验师", 4), ("馆员", 2), ("助理馆员", 2), ("", 3))
WORKER_TITLES = (("", 6), ("高级工", 3), ("技师", 1))

# 一中-style 党总支: branches by 教研组, each with 党小组 by subject.
SENIOR_BRANCHES = (
    ("1", "文科党支部", ("语文教研组党小组", "英语教研组党小组")),
    ("2", "理科党支部", ("数学教研组党小组", "理化生教研组党小组")),
    ("3", "行政后勤党支部", ()),
)
