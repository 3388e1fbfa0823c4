// Provinces by GB/T 2260 code, placed on a tile grid that keeps their rough relative positions
// (north up). No boundary is drawn: China's boundaries need an approved map (api.md), which a
// deployment may register itself (docs/dashboard.md, "An approved map").
// [code, 简称, full Chinese name, English, row, column]
const P = [
  ['65', '新疆', '新疆维吾尔自治区', 'Xinjiang', 0, 1], ['15', '内蒙古', '内蒙古自治区', 'Inner Mongolia', 0, 5], ['23', '黑龙江', '黑龙江省', 'Heilongjiang', 0, 8],
  ['62', '甘肃', '甘肃省', 'Gansu', 1, 3], ['64', '宁夏', '宁夏回族自治区', 'Ningxia', 1, 4], ['11', '北京', '北京市', 'Beijing', 1, 6], ['21', '辽宁', '辽宁省', 'Liaoning', 1, 7], ['22', '吉林', '吉林省', 'Jilin', 1, 8],
  ['54', '西藏', '西藏自治区', 'Tibet', 2, 1], ['63', '青海', '青海省', 'Qinghai', 2, 2], ['61', '陕西', '陕西省', 'Shaanxi', 2, 4], ['14', '山西', '山西省', 'Shanxi', 2, 5], ['13', '河北', '河北省', 'Hebei', 2, 6], ['12', '天津', '天津市', 'Tianjin', 2, 7],
  ['51', '四川', '四川省', 'Sichuan', 3, 3], ['50', '重庆', '重庆市', 'Chongqing', 3, 4], ['41', '河南', '河南省', 'Henan', 3, 5], ['37', '山东', '山东省', 'Shandong', 3, 6],
  ['53', '云南', '云南省', 'Yunnan', 4, 3], ['52', '贵州', '贵州省', 'Guizhou', 4, 4], ['42', '湖北', '湖北省', 'Hubei', 4, 5], ['34', '安徽', '安徽省', 'Anhui', 4, 6], ['32', '江苏', '江苏省', 'Jiangsu', 4, 7],
  ['45', '广西', '广西壮族自治区', 'Guangxi', 5, 4], ['43', '湖南', '湖南省', 'Hunan', 5, 5], ['36', '江西', '江西省', 'Jiangxi', 5, 6], ['33', '浙江', '浙江省', 'Zhejiang', 5, 7], ['31', '上海', '上海市', 'Shanghai', 5, 8],
  ['44', '广东', '广东省', 'Guangdong', 6, 5], ['35', '福建', '福建省', 'Fujian', 6, 6], ['71', '台湾', '台湾省', 'Taiwan', 6, 7],
  ['46', '海南', '海南省', 'Hainan', 7, 4], ['82', '澳门', '澳门特别行政区', 'Macao', 7, 5], ['81', '香港', '香港特别行政区', 'Hong Kong', 7, 6],
];

export const PROVINCES = P.map(([code, short, zh, en, row, col]) => ({ code, short, zh, en, row, col }));
export const GRID = { rows: 8, cols: 9 };
const BY_CODE = new Map(PROVINCES.map((p) => [p.code, p]));
export function province(code) { return BY_CODE.get(String(code).slice(0, 2)); }
