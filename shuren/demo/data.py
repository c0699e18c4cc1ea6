"""The facts of the Guicheng article the demo reproduces, and the names it builds places from.

Source: ../shared/seed/guicheng-shuren-article.txt. Numbers the article states are constants
here; everything it does not state (street names, estates other than the two it names) is
plausible invention.
"""

from __future__ import annotations

import datetime as dt

SEED = 20190701  # 2019年7月: the month the first lane-leader team was formed in 江滨

# 桂城街道, 南海区, 佛山市 (统计用区划代码).
SUBDISTRICT = ("GC", "桂城街道", "440605011000")

# (code, name) of the 23 urban communities that run the building-leader system. The first four
# are the article's; the other nineteen are Guicheng community names.
COMMUNITIES = (
    ("GC-JD", "尖东社区"),
    ("GC-TC", "同成社区"),
    ("GC-JB", "江滨社区"),
    ("GC-GY", "桂雅社区"),
    ("GC-DE", "东二社区"),
    ("GC-DHUA", "东华社区"),
    ("GC-HS", "海三社区"),
    ("GC-HW", "海五社区"),
    ("GC-DB", "叠北社区"),
    ("GC-DN", "叠南社区"),
    ("GC-XB", "夏北社区"),
    ("GC-XN", "夏南社区"),
    ("GC-PN", "平南社区"),
    ("GC-PD", "平东社区"),
    ("GC-NY", "南约社区"),
    ("GC-DHU", "灯湖社区"),
    ("GC-GYUAN", "桂园社区"),
    ("GC-HC", "华翠社区"),
    ("GC-PL", "蟠龙社区"),
    ("GC-JH", "季华社区"),
    ("GC-SC", "石翠社区"),
    ("GC-YY", "映月社区"),
    ("GC-BC", "宝翠社区"),
)

# "在23个城市社区,149个生活小区,培育了64支楼长队伍,1494名楼长(含党员楼长384名)"
ESTATES = 149
LEADER_TEAMS = 64
LEADERS = 1494
PARTY_LEADERS = 384
# "在39个无物业小区推行居民小组自治管理模式"
ESTATES_WITHOUT_COMPANY = 39

# Estates per community (sums to 149). 同成 is new (2019) and small; 江滨 is mostly old village
# lanes and 桂雅 an industrial park, so both have few estates.
ESTATES_PER_COMMUNITY = {
    "GC-JD": 8,
    "GC-TC": 5,
    "GC-JB": 4,
    "GC-GY": 3,
    **{code: 7 for code, _ in COMMUNITIES[4:19]},
    **{code: 6 for code, _ in COMMUNITIES[19:]},
}

# 金域蓝湾 (尖东): "共有52栋楼,合计4700户", "已培育楼长85名", seven special teams.
JYLW = ("GC-JD-JYLW", "金域蓝湾")
JYLW_BUILDINGS = 52
JYLW_HOUSEHOLDS = 4700
JYLW_LEADERS = 85
JYLW_SPECIAL_TEAMS = (
    ("HMJ", "关爱红马甲"),
    ("JJAQ", "居家安全小剧场"),
    ("SHNS", "生活小能手"),
    ("SLYJ", "善邻义教队"),
    ("FCYJ", "风采义剪社"),
    ("CWFS", "创文风尚队"),
    ("LZXZS", "楼长小助手"),
)
JYLW_COMPANY = ("WY-JYLW", "金域蓝湾物业服务中心")
JYLW_LEADERS_SINCE = dt.date(2013, 12, 1)  # "自2013年年底开展试点工作至今"

# 万科金域中央 (同成): "入住户数3146户", towers "高50多层", "每几十层就选一个楼长".
JYZY = ("GC-TC-JYZY", "万科金域中央")
JYZY_HOUSEHOLDS = 3146
JYZY_TOWER_STOREYS = (56, 54, 52, 55, 53, 51, 54, 56)
JYZY_FLATS_PER_FLOOR = 8
JYZY_PODIUM_FLOORS = 2  # shops and the clubhouse below the flats
JYZY_COMPANY = ("WY-VANKE", "万科物业")
JYZY_LEADERS_SINCE = dt.date(2019, 5, 15)  # "利用5个月时间,培育社团发展楼长"

# 江滨: "由10名街坊骨干(含党员5名)组建了桂城首支巷长队伍" (2019年7月).
JB_LANES = (
    "江滨东一巷",
    "江滨东二巷",
    "江滨东三巷",
    "江滨东四巷",
    "江滨东五巷",
    "江滨西一巷",
    "江滨西二巷",
    "江滨西三巷",
    "江滨南巷",
    "江滨北巷",
)
JB_PARTY_LANE_LEADERS = 5
JB_LANES_SINCE = dt.date(2019, 7, 1)

# 桂雅: "与60间辖区商铺(含50间制衣厂)达成街长制建设共识,筹建了一支由8名街长组成的志愿巡查队伍".
GY_STREET = ("GC-GY-S01", "桂雅路")
GY_SHOPS = 60
GY_GARMENT_FACTORIES = 50
GY_STREET_LEADERS = 8
GY_STREET_SINCE = dt.date(2019, 8, 1)

WORKSHOP = ("T-SZM", "苏志敏创熟调解工作室")
MEDIATION_COMMITTEE = ("T-WYTJW", "桂城街道物业管理纠纷人民调解委员会")

# Estate names are stem + suffix. Estates with a property company are newer commercial
# developments; the 39 without one are old work-unit and village-style estates.
NEW_STEMS = (
    "翠湖",
    "锦绣",
    "金桂",
    "怡景",
    "碧水",
    "丽日",
    "明珠",
    "东方",
    "御景",
    "君华",
    "天佑",
    "南国",
    "海逸",
    "星汇",
    "滨江",
    "凯旋",
    "嘉洲",
    "雅瑶",
    "千禧",
    "朗晴",
    "瀚林",
    "宏宇",
    "华景",
    "富丽",
    "信和",
    "万豪",
    "金湾",
    "水岸",
    "荔庭",
    "泰安",
)
NEW_SUFFIXES = ("花园", "豪庭", "名苑", "华庭", "雅居", "广场", "新城", "半岛", "公馆", "山庄")
OLD_STEMS = (
    "供销社",
    "粮食局",
    "水利所",
    "电信",
    "交通局",
    "糖厂",
    "纺织厂",
    "建设",
    "城南",
    "城北",
    "桂江",
    "新风",
    "红星",
    "工农",
    "文化",
)
OLD_SUFFIXES = ("宿舍区", "新村", "小区", "大院")

# Property companies of the other estates (invented names).
PROPERTY_COMPANIES = (
    ("WY-GY", "桂苑物业管理有限公司"),
    ("WY-CH", "翠华物业服务有限公司"),
    ("WY-JC", "锦城物业管理有限公司"),
    ("WY-NY", "南粤物业服务有限公司"),
    ("WY-QDH", "千灯湖物业管理有限公司"),
    ("WY-GF", "广佛物业服务有限公司"),
    ("WY-HX", "华信物业管理有限公司"),
    ("WY-YJ", "雅居物业服务有限公司"),
    ("WY-ZY", "卓越物业管理有限公司"),
    ("WY-NH", "南海城建物业管理有限公司"),
)

SHOP_NAME_STEMS = (
    "雅丽",
    "华美",
    "金丝",
    "锦衣",
    "新潮",
    "美雅",
    "恒信",
    "永盛",
    "佳艺",
    "宏达",
    "丽华",
    "欣荣",
    "俊裕",
    "嘉宝",
    "富华",
    "明辉",
    "东升",
    "兴旺",
    "瑞丰",
    "广源",
    "合利",
    "荣发",
    "群英",
    "顺和",
    "凯丽",
)
OTHER_SHOPS = (
    ("retail", "便利店"),
    ("food", "肠粉店"),
    ("food", "快餐店"),
    ("retail", "五金店"),
    ("service", "布料行"),
    ("service", "物流点"),
    ("food", "茶餐厅"),
    ("retail", "日用百货"),
    ("service", "缝纫机维修"),
    ("service", "打印店"),
)
