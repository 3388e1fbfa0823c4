// Built-in GB/T 4754-2017 entries: every section and division, plus the groups and classes the
// demo clusters (rules.md §4) and a typical national backdrop of high-tech-zone clusters use.
// Names are the standard's own wording; tests/unit/refdata checks each entry against a full
// transcription of the standard when ../shared/reference is present.
#include <array>

#include "refdata/builtin.h"

namespace clusterscope::refdata {
namespace {

// Parents before children: each section is followed by its divisions, and each division by the
// groups and classes we ship under it, so a reader that inserts in order never meets an unknown
// parent.
constexpr std::array kIndustries = {
    // ---- A 农、林、牧、渔业 (01–05)
    IndustryEntry{"A", "农、林、牧、渔业", "section", "", "A"},
    IndustryEntry{"01", "农业", "division", "A", "A"},
    IndustryEntry{"02", "林业", "division", "A", "A"},
    IndustryEntry{"03", "畜牧业", "division", "A", "A"},
    IndustryEntry{"04", "渔业", "division", "A", "A"},
    IndustryEntry{"05", "农、林、牧、渔专业及辅助性活动", "division", "A", "A"},

    // ---- B 采矿业 (06–12)
    IndustryEntry{"B", "采矿业", "section", "", "B"},
    IndustryEntry{"06", "煤炭开采和洗选业", "division", "B", "B"},
    IndustryEntry{"07", "石油和天然气开采业", "division", "B", "B"},
    IndustryEntry{"08", "黑色金属矿采选业", "division", "B", "B"},
    IndustryEntry{"09", "有色金属矿采选业", "division", "B", "B"},
    IndustryEntry{"10", "非金属矿采选业", "division", "B", "B"},
    // Salt-lake cluster: salt extraction from brine.
    IndustryEntry{"103", "采盐", "group", "10", "B"},
    IndustryEntry{"1030", "采盐", "class", "103", "B"},
    IndustryEntry{"11", "开采专业及辅助性活动", "division", "B", "B"},
    IndustryEntry{"12", "其他采矿业", "division", "B", "B"},

    // ---- C 制造业 (13–43)
    IndustryEntry{"C", "制造业", "section", "", "C"},
    IndustryEntry{"13", "农副食品加工业", "division", "C", "C"},
    // Plateau livestock (yak, Tibetan sheep) processing is a common Qinghai backdrop industry.
    IndustryEntry{"135", "屠宰及肉类加工", "group", "13", "C"},
    IndustryEntry{"1353", "肉制品及副产品加工", "class", "135", "C"},
    IndustryEntry{"14", "食品制造业", "division", "C", "C"},
    // Bio-resources cluster: health foods from plateau plants (e.g. wolfberry, cordyceps).
    IndustryEntry{"149", "其他食品制造", "group", "14", "C"},
    IndustryEntry{"1491", "营养食品制造", "class", "149", "C"},
    IndustryEntry{"1492", "保健食品制造", "class", "149", "C"},
    IndustryEntry{"15", "酒、饮料和精制茶制造业", "division", "C", "C"},
    IndustryEntry{"151", "酒的制造", "group", "15", "C"},
    IndustryEntry{"1512", "白酒制造", "class", "151", "C"},
    IndustryEntry{"16", "烟草制品业", "division", "C", "C"},
    IndustryEntry{"17", "纺织业", "division", "C", "C"},
    IndustryEntry{"18", "纺织服装、服饰业", "division", "C", "C"},
    IndustryEntry{"19", "皮革、毛皮、羽毛及其制品和制鞋业", "division", "C", "C"},
    IndustryEntry{"20", "木材加工和木、竹、藤、棕、草制品业", "division", "C", "C"},
    IndustryEntry{"21", "家具制造业", "division", "C", "C"},
    IndustryEntry{"22", "造纸和纸制品业", "division", "C", "C"},
    IndustryEntry{"23", "印刷和记录媒介复制业", "division", "C", "C"},
    IndustryEntry{"24", "文教、工美、体育和娱乐用品制造业", "division", "C", "C"},
    IndustryEntry{"25", "石油、煤炭及其他燃料加工业", "division", "C", "C"},
    IndustryEntry{"26", "化学原料和化学制品制造业", "division", "C", "C"},
    // Salt-lake cluster: inorganic salts (lithium carbonate, magnesium compounds) and potash.
    IndustryEntry{"261", "基础化学原料制造", "group", "26", "C"},
    IndustryEntry{"2613", "无机盐制造", "class", "261", "C"},
    IndustryEntry{"262", "肥料制造", "group", "26", "C"},
    IndustryEntry{"2622", "磷肥制造", "class", "262", "C"},
    IndustryEntry{"2623", "钾肥制造", "class", "262", "C"},
    IndustryEntry{"27", "医药制造业", "division", "C", "C"},
    // Pharmaceuticals: the bio cluster's core (2730, 2740, 2761) and the neighbouring classes a
    // pharma cluster elsewhere would list.
    IndustryEntry{"271", "化学药品原料药制造", "group", "27", "C"},
    IndustryEntry{"2710", "化学药品原料药制造", "class", "271", "C"},
    IndustryEntry{"272", "化学药品制剂制造", "group", "27", "C"},
    IndustryEntry{"2720", "化学药品制剂制造", "class", "272", "C"},
    IndustryEntry{"273", "中药饮片加工", "group", "27", "C"},
    IndustryEntry{"2730", "中药饮片加工", "class", "273", "C"},
    IndustryEntry{"274", "中成药生产", "group", "27", "C"},
    IndustryEntry{"2740", "中成药生产", "class", "274", "C"},
    IndustryEntry{"276", "生物药品制品制造", "group", "27", "C"},
    IndustryEntry{"2761", "生物药品制造", "class", "276", "C"},
    IndustryEntry{"2762", "基因工程药物和疫苗制造", "class", "276", "C"},
    IndustryEntry{"277", "卫生材料及医药用品制造", "group", "27", "C"},
    IndustryEntry{"2770", "卫生材料及医药用品制造", "class", "277", "C"},
    IndustryEntry{"28", "化学纤维制造业", "division", "C", "C"},
    IndustryEntry{"29", "橡胶和塑料制品业", "division", "C", "C"},
    IndustryEntry{"30", "非金属矿物制品业", "division", "C", "C"},
    IndustryEntry{"31", "黑色金属冶炼和压延加工业", "division", "C", "C"},
    IndustryEntry{"32", "有色金属冶炼和压延加工业", "division", "C", "C"},
    // Salt-lake cluster: magnesium metal from bischofite; lithium and other rare metals.
    IndustryEntry{"321", "常用有色金属冶炼", "group", "32", "C"},
    IndustryEntry{"3216", "铝冶炼", "class", "321", "C"},
    IndustryEntry{"3217", "镁冶炼", "class", "321", "C"},
    IndustryEntry{"323", "稀有稀土金属冶炼", "group", "32", "C"},
    IndustryEntry{"3239", "其他稀有金属冶炼", "class", "323", "C"},
    IndustryEntry{"33", "金属制品业", "division", "C", "C"},
    IndustryEntry{"34", "通用设备制造业", "division", "C", "C"},
    IndustryEntry{"35", "专用设备制造业", "division", "C", "C"},
    IndustryEntry{"36", "汽车制造业", "division", "C", "C"},
    IndustryEntry{"37", "铁路、船舶、航空航天和其他运输设备制造业", "division", "C", "C"},
    IndustryEntry{"38", "电气机械和器材制造业", "division", "C", "C"},
    // Photovoltaics and batteries: Qinghai's new-energy clusters.
    IndustryEntry{"382", "输配电及控制设备制造", "group", "38", "C"},
    IndustryEntry{"3825", "光伏设备及元器件制造", "class", "382", "C"},
    IndustryEntry{"384", "电池制造", "group", "38", "C"},
    IndustryEntry{"3841", "锂离子电池制造", "class", "384", "C"},
    IndustryEntry{"3849", "其他电池制造", "class", "384", "C"},
    IndustryEntry{"39", "计算机、通信和其他电子设备制造业", "division", "C", "C"},
    // Electronics: the commonest leading industry of clusters in eastern high-tech zones.
    IndustryEntry{"397", "电子器件制造", "group", "39", "C"},
    IndustryEntry{"3972", "半导体分立器件制造", "class", "397", "C"},
    IndustryEntry{"3973", "集成电路制造", "class", "397", "C"},
    IndustryEntry{"3974", "显示器件制造", "class", "397", "C"},
    IndustryEntry{"3976", "光电子器件制造", "class", "397", "C"},
    IndustryEntry{"398", "电子元件及电子专用材料制造", "group", "39", "C"},
    IndustryEntry{"3985", "电子专用材料制造", "class", "398", "C"},
    IndustryEntry{"40", "仪器仪表制造业", "division", "C", "C"},
    IndustryEntry{"41", "其他制造业", "division", "C", "C"},
    IndustryEntry{"42", "废弃资源综合利用业", "division", "C", "C"},
    IndustryEntry{"43", "金属制品、机械和设备修理业", "division", "C", "C"},

    // ---- D 电力、热力、燃气及水生产和供应业 (44–46)
    IndustryEntry{"D", "电力、热力、燃气及水生产和供应业", "section", "", "D"},
    IndustryEntry{"44", "电力、热力生产和供应业", "division", "D", "D"},
    IndustryEntry{"441", "电力生产", "group", "44", "D"},
    IndustryEntry{"4416", "太阳能发电", "class", "441", "D"},
    IndustryEntry{"45", "燃气生产和供应业", "division", "D", "D"},
    IndustryEntry{"46", "水的生产和供应业", "division", "D", "D"},

    // ---- E 建筑业 (47–50)
    IndustryEntry{"E", "建筑业", "section", "", "E"},
    IndustryEntry{"47", "房屋建筑业", "division", "E", "E"},
    IndustryEntry{"48", "土木工程建筑业", "division", "E", "E"},
    IndustryEntry{"49", "建筑安装业", "division", "E", "E"},
    IndustryEntry{"50", "建筑装饰、装修和其他建筑业", "division", "E", "E"},

    // ---- F 批发和零售业 (51–52)
    IndustryEntry{"F", "批发和零售业", "section", "", "F"},
    IndustryEntry{"51", "批发业", "division", "F", "F"},
    IndustryEntry{"52", "零售业", "division", "F", "F"},

    // ---- G 交通运输、仓储和邮政业 (53–60)
    IndustryEntry{"G", "交通运输、仓储和邮政业", "section", "", "G"},
    IndustryEntry{"53", "铁路运输业", "division", "G", "G"},
    IndustryEntry{"54", "道路运输业", "division", "G", "G"},
    IndustryEntry{"55", "水上运输业", "division", "G", "G"},
    IndustryEntry{"56", "航空运输业", "division", "G", "G"},
    IndustryEntry{"57", "管道运输业", "division", "G", "G"},
    IndustryEntry{"58", "多式联运和运输代理业", "division", "G", "G"},
    IndustryEntry{"59", "装卸搬运和仓储业", "division", "G", "G"},
    IndustryEntry{"60", "邮政业", "division", "G", "G"},

    // ---- H 住宿和餐饮业 (61–62)
    IndustryEntry{"H", "住宿和餐饮业", "section", "", "H"},
    IndustryEntry{"61", "住宿业", "division", "H", "H"},
    IndustryEntry{"62", "餐饮业", "division", "H", "H"},

    // ---- I 信息传输、软件和信息技术服务业 (63–65)
    IndustryEntry{"I", "信息传输、软件和信息技术服务业", "section", "", "I"},
    IndustryEntry{"63", "电信、广播电视和卫星传输服务", "division", "I", "I"},
    IndustryEntry{"64", "互联网和相关服务", "division", "I", "I"},
    IndustryEntry{"65", "软件和信息技术服务业", "division", "I", "I"},
    IndustryEntry{"651", "软件开发", "group", "65", "I"},
    IndustryEntry{"6511", "基础软件开发", "class", "651", "I"},
    IndustryEntry{"6513", "应用软件开发", "class", "651", "I"},
    IndustryEntry{"652", "集成电路设计", "group", "65", "I"},
    IndustryEntry{"6520", "集成电路设计", "class", "652", "I"},

    // ---- J 金融业 (66–69)
    IndustryEntry{"J", "金融业", "section", "", "J"},
    IndustryEntry{"66", "货币金融服务", "division", "J", "J"},
    IndustryEntry{"67", "资本市场服务", "division", "J", "J"},
    IndustryEntry{"68", "保险业", "division", "J", "J"},
    IndustryEntry{"69", "其他金融业", "division", "J", "J"},

    // ---- K 房地产业 (70)
    IndustryEntry{"K", "房地产业", "section", "", "K"},
    IndustryEntry{"70", "房地产业", "division", "K", "K"},

    // ---- L 租赁和商务服务业 (71–72)
    IndustryEntry{"L", "租赁和商务服务业", "section", "", "L"},
    IndustryEntry{"71", "租赁业", "division", "L", "L"},
    IndustryEntry{"72", "商务服务业", "division", "L", "L"},

    // ---- M 科学研究和技术服务业 (73–75)
    IndustryEntry{"M", "科学研究和技术服务业", "section", "", "M"},
    IndustryEntry{"73", "研究和试验发展", "division", "M", "M"},
    // Cluster service bodies: research institutes, technology transfer and incubators.
    IndustryEntry{"734", "医学研究和试验发展", "group", "73", "M"},
    IndustryEntry{"7340", "医学研究和试验发展", "class", "734", "M"},
    IndustryEntry{"74", "专业技术服务业", "division", "M", "M"},
    IndustryEntry{"75", "科技推广和应用服务业", "division", "M", "M"},
    IndustryEntry{"751", "技术推广服务", "group", "75", "M"},
    IndustryEntry{"7512", "生物技术推广服务", "class", "751", "M"},
    IndustryEntry{"753", "科技中介服务", "group", "75", "M"},
    IndustryEntry{"7530", "科技中介服务", "class", "753", "M"},
    IndustryEntry{"754", "创业空间服务", "group", "75", "M"},
    IndustryEntry{"7540", "创业空间服务", "class", "754", "M"},

    // ---- N 水利、环境和公共设施管理业 (76–79)
    IndustryEntry{"N", "水利、环境和公共设施管理业", "section", "", "N"},
    IndustryEntry{"76", "水利管理业", "division", "N", "N"},
    IndustryEntry{"77", "生态保护和环境治理业", "division", "N", "N"},
    IndustryEntry{"78", "公共设施管理业", "division", "N", "N"},
    IndustryEntry{"79", "土地管理业", "division", "N", "N"},

    // ---- O 居民服务、修理和其他服务业 (80–82)
    IndustryEntry{"O", "居民服务、修理和其他服务业", "section", "", "O"},
    IndustryEntry{"80", "居民服务业", "division", "O", "O"},
    IndustryEntry{"81", "机动车、电子产品和日用产品修理业", "division", "O", "O"},
    IndustryEntry{"82", "其他服务业", "division", "O", "O"},

    // ---- P 教育 (83)
    IndustryEntry{"P", "教育", "section", "", "P"},
    IndustryEntry{"83", "教育", "division", "P", "P"},

    // ---- Q 卫生和社会工作 (84–85)
    IndustryEntry{"Q", "卫生和社会工作", "section", "", "Q"},
    IndustryEntry{"84", "卫生", "division", "Q", "Q"},
    IndustryEntry{"85", "社会工作", "division", "Q", "Q"},

    // ---- R 文化、体育和娱乐业 (86–90)
    IndustryEntry{"R", "文化、体育和娱乐业", "section", "", "R"},
    IndustryEntry{"86", "新闻和出版业", "division", "R", "R"},
    IndustryEntry{"87", "广播、电视、电影和录音制作业", "division", "R", "R"},
    IndustryEntry{"88", "文化艺术业", "division", "R", "R"},
    IndustryEntry{"89", "体育", "division", "R", "R"},
    IndustryEntry{"90", "娱乐业", "division", "R", "R"},

    // ---- S 公共管理、社会保障和社会组织 (91–96)
    IndustryEntry{"S", "公共管理、社会保障和社会组织", "section", "", "S"},
    IndustryEntry{"91", "中国共产党机关", "division", "S", "S"},
    IndustryEntry{"92", "国家机构", "division", "S", "S"},
    IndustryEntry{"93", "人民政协、民主党派", "division", "S", "S"},
    IndustryEntry{"94", "社会保障", "division", "S", "S"},
    IndustryEntry{"95", "群众团体、社会团体和其他成员组织", "division", "S", "S"},
    IndustryEntry{"96", "基层群众自治组织及其他组织", "division", "S", "S"},

    // ---- T 国际组织 (97)
    IndustryEntry{"T", "国际组织", "section", "", "T"},
    IndustryEntry{"97", "国际组织", "division", "T", "T"},
};

}  // namespace

std::span<const IndustryEntry> BuiltinIndustries() { return kIndustries; }

}  // namespace clusterscope::refdata
