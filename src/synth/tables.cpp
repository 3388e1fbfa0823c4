#include "synth/tables.h"

#include <array>

namespace clusterscope::synth {
namespace {

using std::string_view_literals::operator""sv;

// Centres are approximate (a few kilometres); weights are a rough ranking of each city's
// high-tech economy, enough for Beijing to hold more firms than Lhasa.
constexpr std::array kCities = {
    City{"110100", "110108", "北京", "中关村科技园区", "中关村", 399834, 1163162, 10.0},
    City{"310100", "310115", "上海", "上海张江高新技术产业开发区", "张江", 312040, 1215900, 9.0},
    City{"440300", "440300", "深圳", "深圳市高新技术产业园区", "深圳高新区", 225400, 1139500, 8.0},
    City{"420100", "420100", "武汉", "武汉东湖新技术开发区", "东湖高新区", 304800, 1144100, 7.0},
    City{"510100", "510100", "成都", "成都高新技术产业开发区", "成都高新区", 305800, 1040600, 6.0},
    City{"610100", "610100", "西安", "西安高新技术产业开发区", "西安高新区", 342000, 1088800, 5.5},
    City{"330100", "330100", "杭州", "杭州高新技术产业开发区", "杭州高新区", 301900, 1201900, 6.0},
    City{"320100", "320100", "南京", "南京高新技术产业开发区", "南京高新区", 321500, 1187000, 5.0},
    City{"340100", "340100", "合肥", "合肥高新技术产业开发区", "合肥高新区", 318300, 1171300, 4.0},
    City{"430100", "430100", "长沙", "长沙高新技术产业开发区", "长沙高新区", 282300, 1128800, 4.0},
    City{"370100", "370100", "济南", "济南高新技术产业开发区", "济南高新区", 366800, 1171300, 3.5},
    City{"410100", "410100", "郑州", "郑州高新技术产业开发区", "郑州高新区", 348100, 1135500, 3.5},
    City{"120100", "120116", "天津", "天津滨海高新技术产业开发区", "天津滨海高新区", 390800, 1171200, 4.5},
    City{"210100", "210100", "沈阳", "沈阳高新技术产业开发区", "沈阳高新区", 418000, 1234500, 3.0},
    City{"220100", "220100", "长春", "长春高新技术产业开发区", "长春高新区", 438400, 1252500, 2.5},
    City{"230100", "230100", "哈尔滨", "哈尔滨高新技术产业开发区", "哈尔滨高新区", 457500, 1266300, 2.5},
    City{"350200", "350200", "厦门", "厦门火炬高技术产业开发区", "厦门火炬高新区", 244900, 1181800, 3.0},
    City{"500100", "500100", "重庆", "重庆高新技术产业开发区", "重庆高新区", 295500, 1064500, 4.0},
    City{"360100", "360100", "南昌", "南昌高新技术产业开发区", "南昌高新区", 286900, 1159500, 2.5},
    City{"130100", "130100", "石家庄", "石家庄高新技术产业开发区", "石家庄高新区", 380300, 1146000, 2.5},
    City{"140100", "140100", "太原", "太原高新技术产业开发区", "太原高新区", 378300, 1125500, 2.0},
    City{"150100", "150100", "呼和浩特", "呼和浩特金山高新技术产业开发区", "呼和浩特金山高新区", 408400, 1117500, 1.2},
    City{"450100", "450100", "南宁", "南宁高新技术产业开发区", "南宁高新区", 228500, 1083000, 2.0},
    City{"460100", "460100", "海口", "海口高新技术产业开发区", "海口高新区", 200200, 1103300, 1.0},
    City{"520100", "520100", "贵阳", "贵阳高新技术产业开发区", "贵阳高新区", 266200, 1066500, 1.8},
    City{"530100", "530100", "昆明", "昆明高新技术产业开发区", "昆明高新区", 250600, 1026600, 2.0},
    City{"620100", "620100", "兰州", "兰州高新技术产业开发区", "兰州高新区", 360600, 1038300, 1.5},
    City{"640100", "640100", "银川", "银川高新技术产业开发区", "银川高新区", 384900, 1062300, 1.0},
    City{"650100", "650100", "乌鲁木齐", "乌鲁木齐高新技术产业开发区", "乌鲁木齐高新区", 438300, 876000, 1.5},
    City{"540100", "540100", "拉萨", "拉萨高新技术产业开发区", "拉萨高新区", 296500, 911300, 0.5},
    City{"320500", "320500", "苏州", "苏州高新技术产业开发区", "苏州高新区", 313000, 1205500, 5.0},
    City{"440100", "440100", "广州", "广州高新技术产业开发区", "广州高新区", 231600, 1134500, 6.0},
    City{"320200", "320200", "无锡", "无锡高新技术产业开发区", "无锡高新区", 315500, 1203700, 4.0},
    City{"330200", "330200", "宁波", "宁波高新技术产业开发区", "宁波高新区", 298900, 1216200, 3.0},
    City{"370200", "370200", "青岛", "青岛高新技术产业开发区", "青岛高新区", 363100, 1204000, 3.0},
    City{"210200", "210200", "大连", "大连高新技术产业园区", "大连高新区", 388600, 1215300, 3.0},
    City{"440400", "440400", "珠海", "珠海高新技术产业开发区", "珠海高新区", 223700, 1135500, 2.0},
    City{"440600", "440600", "佛山", "佛山高新技术产业开发区", "佛山高新区", 230200, 1131200, 3.0},
    City{"441900", "441900", "东莞", "东莞松山湖高新技术产业开发区", "松山湖高新区", 229200, 1138800, 3.0},
    City{"350100", "350100", "福州", "福州高新技术产业开发区", "福州高新区", 260600, 1192000, 2.0},
    // Qinghai: used only without the demo calibration, which has its own Xining zone.
    City{"630100", "630105", "西宁", "西宁高新技术产业开发区", "西宁高新区", 366200, 1017800, 1.0},
};

constexpr std::array kZoneSuffixes = {
    "软件园"sv,     "科技城"sv,     "生物医药产业园"sv, "新材料产业园"sv, "智能制造产业园"sv, "科学城"sv,
    "大学科技园"sv, "光电产业园"sv, "电子信息产业园"sv, "创新港"sv,       "未来科技城"sv,     "临空科技园"sv,
};

constexpr std::array kClasses = {
    IndustryClass{"1030", true, {"盐业", "盐化", ""}, 0.3},
    IndustryClass{"1353", true, {"食品", "肉业", ""}, 0.8},
    IndustryClass{"1491", true, {"营养食品", "生物食品", ""}, 0.8},
    IndustryClass{"1492", true, {"生物科技", "保健品", "健康科技"}, 1.0},
    IndustryClass{"1512", true, {"酒业", "酿酒", ""}, 0.5},
    IndustryClass{"2613", true, {"化工", "盐化工", "化学"}, 1.0},
    IndustryClass{"2622", true, {"磷化工", "化肥", ""}, 0.4},
    IndustryClass{"2623", true, {"钾肥", "钾业", ""}, 0.3},
    IndustryClass{"2710", true, {"制药", "医药化工", ""}, 1.2},
    IndustryClass{"2720", true, {"药业", "制药", ""}, 1.5},
    IndustryClass{"2730", true, {"中药饮片", "中药材", ""}, 0.8},
    IndustryClass{"2740", true, {"中药", "药业", "制药"}, 1.2},
    IndustryClass{"2761", true, {"生物制药", "生物药业", ""}, 1.2},
    IndustryClass{"2762", true, {"生物制品", "疫苗", ""}, 0.6},
    IndustryClass{"2770", true, {"医疗用品", "医用材料", ""}, 0.8},
    IndustryClass{"3216", true, {"铝业", "", ""}, 0.5},
    IndustryClass{"3217", true, {"镁业", "", ""}, 0.2},
    IndustryClass{"3239", true, {"锂业", "稀有金属", ""}, 0.4},
    IndustryClass{"3825", true, {"光伏", "光电", ""}, 1.0},
    IndustryClass{"3841", true, {"锂电", "电池", "新能源"}, 1.0},
    IndustryClass{"3849", true, {"电源", "储能", ""}, 0.6},
    IndustryClass{"3972", true, {"半导体", "微电子", ""}, 1.0},
    IndustryClass{"3973", true, {"集成电路", "微电子", ""}, 0.8},
    IndustryClass{"3974", true, {"显示科技", "光电显示", ""}, 0.6},
    IndustryClass{"3976", true, {"光电子", "光电科技", ""}, 1.0},
    IndustryClass{"3985", true, {"电子材料", "新材料", ""}, 1.0},
    IndustryClass{"4416", true, {"光伏发电", "新能源", ""}, 0.4},
    IndustryClass{"6511", false, {"软件", "信息技术", ""}, 1.5},
    IndustryClass{"6513", false, {"软件", "网络科技", "信息技术"}, 4.0},
    IndustryClass{"6520", false, {"芯片", "微电子", ""}, 1.0},
    IndustryClass{"7340", false, {"医药研究", "生物医药研究", ""}, 0.6},
    IndustryClass{"7512", false, {"生物技术", "生物工程", ""}, 0.8},
    IndustryClass{"7530", false, {"科技服务", "技术转移", ""}, 1.2},
    IndustryClass{"7540", false, {"创业服务", "科技园", ""}, 0.6},
};

// Leading-industry choices per family. A group or division code ("397", "27") stands for every
// class under it, as real cluster filings sometimes list them.
constexpr std::array kBioCodes = {"2710"sv, "2720"sv, "2730"sv, "2740"sv, "2761"sv,
                                  "2762"sv, "2770"sv, "276"sv,  "27"sv};
constexpr std::array kElectronicsCodes = {"3972"sv, "3973"sv, "3974"sv, "3976"sv, "3985"sv, "397"sv};
constexpr std::array kSoftwareCodes = {"6511"sv, "6513"sv, "6520"sv, "651"sv};
constexpr std::array kChipCodes = {"3973"sv, "6520"sv, "3972"sv, "3985"sv};
constexpr std::array kEnergyCodes = {"3841"sv, "3849"sv, "3825"sv, "4416"sv, "384"sv};
constexpr std::array kMaterialsCodes = {"3239"sv, "3217"sv, "3216"sv, "3985"sv, "2613"sv};
constexpr std::array kChemicalCodes = {"2613"sv, "2622"sv, "2623"sv, "1030"sv};
constexpr std::array kFoodCodes = {"1491"sv, "1492"sv, "1353"sv, "1512"sv, "149"sv};

constexpr std::array kFamilies = {
    IndustryFamily{"生物医药", kBioCodes, 3.0},
    IndustryFamily{"电子信息", kElectronicsCodes, 3.0},
    IndustryFamily{"软件和信息服务", kSoftwareCodes, 2.0},
    IndustryFamily{"集成电路", kChipCodes, 1.0},
    IndustryFamily{"新能源", kEnergyCodes, 2.0},
    IndustryFamily{"新材料", kMaterialsCodes, 1.5},
    IndustryFamily{"精细化工", kChemicalCodes, 0.8},
    IndustryFamily{"健康食品", kFoodCodes, 1.0},
};

constexpr std::array kBrandCharacters = {
    "华"sv, "中"sv, "恒"sv, "瑞"sv, "通"sv, "达"sv, "泰"sv, "康"sv, "宏"sv, "信"sv, "鑫"sv, "科"sv, "创"sv, "新"sv,
    "联"sv, "博"sv, "德"sv, "盛"sv, "源"sv, "天"sv, "海"sv, "明"sv, "晶"sv, "微"sv, "智"sv, "芯"sv, "睿"sv, "云"sv,
    "星"sv, "光"sv, "正"sv, "安"sv, "东"sv, "方"sv, "长"sv, "远"sv, "益"sv, "和"sv, "聚"sv, "凯"sv,
};

// Repeats weight the common form.
constexpr std::array kLegalForms = {"有限公司"sv, "有限公司"sv, "有限公司"sv, "股份有限公司"sv, "有限责任公司"sv};

constexpr std::array kQinghaiBrands = {
    "雪域"sv, "昆仑"sv, "三江源"sv, "高原"sv, "唐古拉"sv, "青稞"sv,     "格桑"sv,   "祁连"sv,
    "湟源"sv, "河湟"sv, "圣源"sv,   "晶珠"sv, "诺木洪"sv, "可可西里"sv, "柴达木"sv, "青湖"sv,
    "夏都"sv, "金塔"sv, "瑞丰"sv,   "康巴"sv, "雪莲"sv,   "江河源"sv,   "察尔汗"sv, "西海"sv,
};

}  // namespace

std::span<const City> Cities() { return kCities; }
std::span<const std::string_view> ZoneSuffixes() { return kZoneSuffixes; }
std::span<const IndustryClass> IndustryClasses() { return kClasses; }
std::span<const IndustryFamily> IndustryFamilies() { return kFamilies; }
std::span<const std::string_view> BrandCharacters() { return kBrandCharacters; }
std::span<const std::string_view> LegalForms() { return kLegalForms; }
std::span<const std::string_view> QinghaiBrands() { return kQinghaiBrands; }

const IndustryClass* FindClass(std::string_view code) {
  for (const IndustryClass& c : kClasses) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

}  // namespace clusterscope::synth
