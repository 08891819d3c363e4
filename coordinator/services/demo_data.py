"""The demo campaign's data: real counties and products from public reports (shared/DOMAIN.md)."""
from __future__ import annotations

COUNTIES = [
    {"name": "宜君县", "province": "陕西省",
     "story": "宜君县的玉米糁在2019年卖16元一斤，县里建起电商物流配送中心后运费每单降了约10元，2021年降到5.8元一斤包邮，"
              "一年网上卖出50多万公斤；宜君苹果在平台销量排名从第660名升到第13名。"},
    {"name": "普安县", "province": "贵州省",
     "story": "普安的茶叶借助直播在2021年卖出近一千万元；“搅搅茶”是一种要边搅边喝的新喝法。"},
    {"name": "寻乌县", "province": "江西省",
     "story": "寻乌有6100户农民做电商，两位果农一年在直播间卖出十万公斤百香果；县里的“客服县”雇用了350位本地人。"},
    {"name": "礼县", "province": "甘肃省", "story": "陇南礼县的农民在直播间里卖自家的苹果和土特产。"},
    {"name": "巨鹿县", "province": "河北省", "story": "邢台巨鹿以金银花和枸杞闻名。"},
    {"name": "巫溪县", "province": "重庆市", "story": "重庆14个国家扶贫重点县之一，当年农村贫困线约为每年2300元。"},
    {"name": "伽师县", "province": "新疆维吾尔自治区", "story": "新疆甜瓜项目帮助一万多户家庭脱贫。"},
]

# (county, name, sku, category, price_fen, stock, unit, agricultural, from (month, day), to (month, day), origin, points)
PRODUCTS = [
    ("宜君县", "宜君苹果（5斤装）", "YJ-APPLE-5J", "fruit", 3990, 6000, "箱", True, (9, 20), (3, 31),
     "宜君县电商物流配送中心", ["海拔1200米的红富士，脆甜多汁", "剪纸非遗图案礼盒", "产地直发，坏果包赔"]),
    ("宜君县", "宜君玉米糁（500克）", "YJ-GRITS-500G", "grain", 580, 20000, "袋", True, None, None,
     "宜君县电商物流配送中心", ["5.8元一斤包邮", "一年卖出50多万公斤的老味道", "熬粥香甜，配菜百搭"]),
    ("普安县", "普安红茶（250克）", "PA-BLACKTEA-250G", "tea", 12800, 3000, "罐", True, None, None,
     "普安县茶叶仓储中心", ["高海拔古茶树", "冷泡热泡都香", "县里茶农直供"]),
    ("普安县", "普安搅搅茶", "PA-STIRTEA", "tea", 6800, 2500, "盒", True, None, None,
     "普安县茶叶仓储中心", ["边搅边喝的新喝法", "直播间现场演示冲泡", "年轻人爱喝的茶"]),
    ("寻乌县", "寻乌百香果（3斤）", "XW-PASSION-3J", "fruit", 2990, 4000, "箱", True, (6, 1), (11, 15),
     "寻乌县电商产业园", ["两位果农一年直播卖出十万公斤", "酸甜浓香，泡水做饮品", "当天采摘当天发货"]),
    ("寻乌县", "寻乌脐橙（10斤）", "XW-NAVEL-10J", "fruit", 5990, 8000, "箱", True, (11, 1), (2, 28),
     "寻乌县电商产业园", ["赣南脐橙核心产区", "果园直采，个大汁多", "客服县350位乡亲在线服务"]),
    ("礼县", "礼县花牛苹果（8斤）", "LX-APPLE-8J", "fruit", 4590, 3500, "箱", True, (9, 15), (2, 28),
     "陇南礼县农产品仓", ["高原日照足，糖度高", "农户直播间现摘现发"]),
    ("巨鹿县", "巨鹿金银花茶（100克）", "JL-HONEYSUCKLE", "tea", 3900, 2000, "罐", True, None, None,
     "邢台巨鹿电商中心", ["道地金银花之乡", "清热下火的日常茶饮"]),
    ("巫溪县", "巫溪洋芋片（礼盒）", "WX-POTATO-GIFT", "snack", 2990, 1500, "盒", False, None, None,
     "巫溪县电商公共服务中心", ["高山洋芋手工切片", "重庆麻辣味"]),
    ("伽师县", "伽师瓜（2个装）", "JS-MELON-2", "fruit", 6990, 1200, "箱", True, (7, 1), (12, 15),
     "伽师县冷链仓", ["新疆甜瓜项目帮助上万户家庭脱贫", "冷链直达，甜度18度以上"]),
]

EVENINGS = "周一 19:00-24:00; 周三 19:00-24:00; 周五 19:00-24:00; 周六 19:00-24:00; 周日 19:00-24:00"
# (handle, display name, platform, followers, categories, region, availability)
STREAMERS = [
    ("yijun_xiaomei", "宜君小美", "taobao", 52_000, ["fruit", "grain"], "陕西铜川", EVENINGS),
    ("xunwu_laozhong", "寻乌果农老钟", "douyin", 310_000, ["fruit"], "江西赣州", "周二 20:00-23:00; 周五 19:00-24:00; 周六 19:00-24:00"),
    ("puan_chanong", "普安茶农阿芳", "kuaishou", 86_000, ["tea"], "贵州黔西南", EVENINGS),
    ("county_li", "李副县长带货", "taobao", 1_200_000, ["fruit", "tea", "grain"], "陕西", "周五 19:00-22:00; 周六 19:00-22:00"),
    ("nongjia_dajie", "农家大姐", "kuaishou", 6_800, ["grain", "snack"], "重庆", EVENINGS),
    ("tea_master_wang", "茶艺师小王", "douyin", 540_000, ["tea"], "浙江杭州", "周一 20:00-24:00; 周四 20:00-24:00; 周日 19:00-23:00"),
    ("fruit_hunter", "鲜果猎人", "douyin", 2_800_000, ["fruit"], "上海", "周三 19:00-23:00; 周五 20:00-24:00; 周六 20:00-24:00"),
    ("gansu_apple", "礼县苹果哥", "kuaishou", 45_000, ["fruit"], "甘肃陇南", EVENINGS),
    ("health_tea_lin", "养生茶林姐", "taobao", 150_000, ["tea", "snack"], "广东广州", "周二 19:00-23:00; 周四 19:00-23:00; 周六 19:00-24:00"),
    ("xinjiang_guazi", "新疆瓜娃子", "douyin", 420_000, ["fruit", "snack"], "新疆喀什", "周五 21:00-24:00; 周六 21:00-24:00; 周日 21:00-24:00"),
    ("chongqing_mala", "重庆麻辣妹", "douyin", 960_000, ["snack", "grain"], "重庆", "周一 19:00-23:00; 周三 19:00-23:00; 周五 19:00-23:00"),
    ("super_anchor", "头部主播薇姐", "taobao", 5_000_000, ["fruit", "tea", "grain", "snack"], "浙江杭州", "周六 19:00-24:00; 周日 19:00-24:00"),
]

# Who each host is, read out on the streamer pages: farmers, a county official, influencers.
BIOS = {
    "yijun_xiaomei": "宜君返乡青年，在自家果园里直播卖苹果和玉米糁。",
    "xunwu_laozhong": "寻乌果农，和邻居一年在直播间卖出十万公斤百香果。",
    "puan_chanong": "普安茶农，在茶园里演示搅搅茶的喝法。",
    "county_li": "分管农业的副县长，走进直播间为县里的农产品代言。",
    "nongjia_dajie": "重庆山里的农家大姐，直播做饭，顺手卖土特产。",
    "tea_master_wang": "茶艺师，讲茶、泡茶、带茶。",
    "fruit_hunter": "全国跑产地的水果达人，专挑当季鲜果。",
    "gansu_apple": "礼县果农，在果园里现摘现发花牛苹果。",
    "health_tea_lin": "养生博主，推荐花草茶和健康零食。",
    "xinjiang_guazi": "喀什小伙，直播瓜地，带货伽师瓜。",
    "chongqing_mala": "重庆美食博主，麻辣零食和山货都能带。",
    "super_anchor": "淘宝头部主播，每个直播间都带一件助农好物。",
}

ROBOT_NAME = "县域协调群（本地机器人） · County group (local robot)"
CAMPAIGN_NAME = "One More Agriproduct · Double 11 / 多一件农产品 · 双十一助农"
CAMPAIGN_DESCRIPTION = "双十一期间，每个直播间至少推介一款来自欠发达县的农产品。"
CAMPAIGN_DAYS = 14
CAMPAIGN_RULES = {"min_agri_products_per_session": 1, "max_products_per_session": 5, "target_net_fen": 50_000_000}
COMMISSIONER = ("commissioner", "one-more-agri-2026")
STREAMER_USER = ("xiaomei", "xiaomei-live-2026", "yijun_xiaomei")
# Pu'an's commissioner: not on the campaign's team, a county partner through Pu'an's enrolled teas.
PARTNER = ("puan", "puan-tea-2026", "普安县")

# (streamer handle, start in minutes from now or "HH:MM" tonight/tomorrow, minutes long, title, lineup SKUs)
SESSIONS = [
    ("yijun_xiaomei", -10, 120, "宜君好物夜场", ["YJ-APPLE-5J", "YJ-GRITS-500G", "XW-NAVEL-10J"]),
    ("xunwu_laozhong", "20:00", 120, "赣南脐橙果园直播", ["XW-NAVEL-10J", "PA-STIRTEA"]),
    ("county_li", "19:30", 120, "副县长带你逛县城", ["LX-APPLE-8J", "PA-BLACKTEA-250G", "YJ-APPLE-5J"]),
]
# A host's session tomorrow evening (at least three hours after the one live now) with a tea whose sample is still
# on its way: the session the board, the calendar and the host's page warn about.
LATE_SESSION = ("yijun_xiaomei", ("20:30", 180), 120, "果园里喝一杯普安搅搅茶", ["PA-STIRTEA", "YJ-APPLE-5J"])

# Where each host's samples go (recipient, phone, address); 农家大姐 has not given hers yet.
ADDRESSES = {
    "yijun_xiaomei": ("张小美", "13829150000", "陕西省铜川市宜君县宜阳街道北街12号"),
    "xunwu_laozhong": ("钟国平", "13879760000", "江西省赣州市寻乌县文峰乡石排村下屋组8号"),
    "puan_chanong": ("陈阿芳", "13985940000", "贵州省黔西南布依族苗族自治州普安县江西坡镇茶源村3组"),
    "county_li": ("李建国", "13891920000", "陕西省铜川市宜君县宜阳街道中心街1号 县农业农村局"),
    "tea_master_wang": ("王晨", "13867120000", "浙江省杭州市西湖区龙井路19号 茶艺工作室"),
    "fruit_hunter": ("刘洋", "13816280000", "上海市浦东新区张江镇科苑路88号3号楼502室"),
    "gansu_apple": ("赵建军", "13893930000", "甘肃省陇南市礼县城关镇西关村2组"),
    "health_tea_lin": ("林慧", "13802240000", "广东省广州市天河区天河路385号1806室"),
    "xinjiang_guazi": ("艾力·买买提", "13899810000", "新疆维吾尔自治区喀什地区伽师县巴仁镇幸福路6号"),
    "chongqing_mala": ("周婷", "13883360000", "重庆市渝中区解放碑街道民族路166号2201室"),
    "super_anchor": ("何薇", "13857190000", "浙江省杭州市滨江区网商路699号 直播基地B座4楼"),
}

# (host, SKU, pairing state, decline reason, sample or None). A sample is (state it ends in, units, carrier,
# tracking number, reason); the demo walks it there through the real moves. Only the Pu'an tea for 宜君小美 is still
# on its way to a host with a session of it within the lead days: the one late sample.
PAIRINGS = [
    ("yijun_xiaomei", "YJ-APPLE-5J", "accepted", "", ("received", 1, "sf", "SF1408273650213", "")),
    ("yijun_xiaomei", "YJ-GRITS-500G", "locked", "", ("received", 2, "zto", "75318462093715", "")),
    ("yijun_xiaomei", "PA-STIRTEA", "accepted", "", ("shipped", 2, "sf", "SF1420396518724", "")),
    ("yijun_xiaomei", "XW-PASSION-3J", "proposed", "", None),
    ("xunwu_laozhong", "XW-NAVEL-10J", "locked", "", ("received", 1, "yto", "YT7512846309128", "")),
    ("xunwu_laozhong", "PA-STIRTEA", "accepted", "", ("received", 1, "sf", "SF1397205846311", "")),
    ("county_li", "LX-APPLE-8J", "locked", "", ("received", 1, "ems", "1179364025813", "")),
    ("county_li", "PA-BLACKTEA-250G", "accepted", "", ("received", 1, "sf", "SF1386610275948", "")),
    ("puan_chanong", "PA-STIRTEA", "accepted", "", None),
    ("tea_master_wang", "PA-BLACKTEA-250G", "accepted", "", ("approved", 2, "", "", "")),
    ("health_tea_lin", "JL-HONEYSUCKLE", "accepted", "", ("shipped", 1, "zto", "78120465397812", "")),
    ("health_tea_lin", "PA-STIRTEA", "accepted", "", ("requested", 1, "", "", "")),
    ("fruit_hunter", "JS-MELON-2", "accepted", "", ("shipped", 1, "jd", "JD0148273659102", "")),
    ("fruit_hunter", "LX-APPLE-8J", "declined", "直播间这周已经排了两款苹果，下个月再合作。", None),
    ("gansu_apple", "XW-PASSION-3J", "accepted", "", ("shipped", 1, "yto", "YT7520918364475", "")),
    ("nongjia_dajie", "WX-POTATO-GIFT", "accepted", "", ("requested", 1, "", "", "")),
    ("chongqing_mala", "WX-POTATO-GIFT", "accepted", "",
     ("rejected", 1, "", "", "这批礼盒的样品已经寄完了，请先用县里发来的实拍视频讲解。")),
    ("super_anchor", "XW-NAVEL-10J", "accepted", "",
     ("cancelled", 1, "", "", "主播团队改为到寻乌果园现场直播，不用再寄样品。")),
    ("super_anchor", "YJ-APPLE-5J", "declined", "双十一档期已经排满，这次先不接。", None),
    ("xinjiang_guazi", "JS-MELON-2", "proposed", "", None),
]
