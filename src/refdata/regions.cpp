// Built-in GB/T 2260 entries: every province-level division, the capital prefecture of each
// province that has prefecture codes, the prefectures and counties of the demo (Xining, Haixi) and
// the cities of some well-known national high-tech zones. Names are the standard's own: the
// municipalities' second-level codes (110100, 120100, 310100, 500100) are named "市辖区", not
// the city name.
#include <array>

#include "refdata/builtin.h"

namespace clusterscope::refdata {
namespace {

// Parents before children: all provinces first, then prefectures, then counties, so every
// parent is already known when a child is read.
constexpr std::array kRegions = {
    // ---- provinces, autonomous regions, municipalities, SARs (34)
    RegionEntry{"110000", "北京市", ""},
    RegionEntry{"120000", "天津市", ""},
    RegionEntry{"130000", "河北省", ""},
    RegionEntry{"140000", "山西省", ""},
    RegionEntry{"150000", "内蒙古自治区", ""},
    RegionEntry{"210000", "辽宁省", ""},
    RegionEntry{"220000", "吉林省", ""},
    RegionEntry{"230000", "黑龙江省", ""},
    RegionEntry{"310000", "上海市", ""},
    RegionEntry{"320000", "江苏省", ""},
    RegionEntry{"330000", "浙江省", ""},
    RegionEntry{"340000", "安徽省", ""},
    RegionEntry{"350000", "福建省", ""},
    RegionEntry{"360000", "江西省", ""},
    RegionEntry{"370000", "山东省", ""},
    RegionEntry{"410000", "河南省", ""},
    RegionEntry{"420000", "湖北省", ""},
    RegionEntry{"430000", "湖南省", ""},
    RegionEntry{"440000", "广东省", ""},
    RegionEntry{"450000", "广西壮族自治区", ""},
    RegionEntry{"460000", "海南省", ""},
    RegionEntry{"500000", "重庆市", ""},
    RegionEntry{"510000", "四川省", ""},
    RegionEntry{"520000", "贵州省", ""},
    RegionEntry{"530000", "云南省", ""},
    RegionEntry{"540000", "西藏自治区", ""},
    RegionEntry{"610000", "陕西省", ""},
    RegionEntry{"620000", "甘肃省", ""},
    RegionEntry{"630000", "青海省", ""},
    RegionEntry{"640000", "宁夏回族自治区", ""},
    RegionEntry{"650000", "新疆维吾尔自治区", ""},
    // GB/T 2260 lists Taiwan, Hong Kong and Macao at province level only, with no lower codes.
    RegionEntry{"710000", "台湾省", ""},
    RegionEntry{"810000", "香港特别行政区", ""},
    RegionEntry{"820000", "澳门特别行政区", ""},

    // ---- prefectures: capitals, the demo's, and cities of well-known high-tech zones
    RegionEntry{"110100", "市辖区", "110000"},
    RegionEntry{"120100", "市辖区", "120000"},
    RegionEntry{"130100", "石家庄市", "130000"},
    RegionEntry{"140100", "太原市", "140000"},
    RegionEntry{"150100", "呼和浩特市", "150000"},
    RegionEntry{"210100", "沈阳市", "210000"},
    RegionEntry{"210200", "大连市", "210000"},
    RegionEntry{"220100", "长春市", "220000"},
    RegionEntry{"230100", "哈尔滨市", "230000"},
    RegionEntry{"310100", "市辖区", "310000"},
    RegionEntry{"320100", "南京市", "320000"},
    RegionEntry{"320200", "无锡市", "320000"},
    RegionEntry{"320500", "苏州市", "320000"},
    RegionEntry{"330100", "杭州市", "330000"},
    RegionEntry{"330200", "宁波市", "330000"},
    RegionEntry{"340100", "合肥市", "340000"},
    RegionEntry{"350100", "福州市", "350000"},
    RegionEntry{"350200", "厦门市", "350000"},
    RegionEntry{"360100", "南昌市", "360000"},
    RegionEntry{"370100", "济南市", "370000"},
    RegionEntry{"370200", "青岛市", "370000"},
    RegionEntry{"410100", "郑州市", "410000"},
    RegionEntry{"420100", "武汉市", "420000"},
    RegionEntry{"430100", "长沙市", "430000"},
    RegionEntry{"440100", "广州市", "440000"},
    RegionEntry{"440300", "深圳市", "440000"},
    RegionEntry{"440400", "珠海市", "440000"},
    RegionEntry{"440600", "佛山市", "440000"},
    RegionEntry{"441900", "东莞市", "440000"},
    RegionEntry{"450100", "南宁市", "450000"},
    RegionEntry{"460100", "海口市", "460000"},
    RegionEntry{"500100", "市辖区", "500000"},
    RegionEntry{"510100", "成都市", "510000"},
    RegionEntry{"520100", "贵阳市", "520000"},
    RegionEntry{"530100", "昆明市", "530000"},
    RegionEntry{"540100", "拉萨市", "540000"},
    RegionEntry{"610100", "西安市", "610000"},
    RegionEntry{"620100", "兰州市", "620000"},
    RegionEntry{"630100", "西宁市", "630000"},
    RegionEntry{"632800", "海西蒙古族藏族自治州", "630000"},
    RegionEntry{"640100", "银川市", "640000"},
    RegionEntry{"650100", "乌鲁木齐市", "650000"},

    // ---- counties and districts
    RegionEntry{"110108", "海淀区", "110100"},
    RegionEntry{"120116", "滨海新区", "120100"},
    RegionEntry{"310115", "浦东新区", "310100"},
    // Xining: the high-tech zone of the demo lies in these districts.
    RegionEntry{"630102", "城东区", "630100"},
    RegionEntry{"630103", "城中区", "630100"},
    RegionEntry{"630104", "城西区", "630100"},
    RegionEntry{"630105", "城北区", "630100"},
    // Haixi: home of the salt-lake chemical cluster.
    RegionEntry{"632801", "格尔木市", "632800"},
    RegionEntry{"632802", "德令哈市", "632800"},
};

}  // namespace

std::span<const RegionEntry> BuiltinRegions() { return kRegions; }

}  // namespace clusterscope::refdata
