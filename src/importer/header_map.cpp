#include "importer/header_map.h"

#include <fmt/format.h>

#include <span>

#include "core/text.h"

namespace clusterscope::importer {
namespace {

struct Unit {
  std::string_view text;
  int exponent;  // fen per unit as a power of ten
};
constexpr Unit kMoneyUnits[] = {{"元", 2}, {"千元", 5}, {"万元", 6}, {"亿元", 10}, {"yuan", 2}};
// Units Torch forms print after non-money columns, by the column's kind; accepted and ignored.
// A unit that does not fit the kind (`employees(%)`, `year(%)`, `uscc(人)`) is refused: the
// column is most likely not what the header's name says.
constexpr std::string_view kCountUnits[] = {"人", "个", "项", "件", "家", "名", "次"};
constexpr std::string_view kYearUnits[] = {"年"};
constexpr std::string_view kScoreUnits[] = {"分"};
constexpr std::string_view kDegreeUnits[] = {"度", "°"};

std::span<const std::string_view> PlainUnitsOf(ColumnType t) {
  switch (t) {
    case ColumnType::kCount:
      return kCountUnits;
    case ColumnType::kYear:
    case ColumnType::kDateOrYear:
      return kYearUnits;
    case ColumnType::kScore:
      return kScoreUnits;
    case ColumnType::kLatitude:
    case ColumnType::kLongitude:
      return kDegreeUnits;
    default:
      return {};
  }
}

bool IsMoney(ColumnType t) { return t == ColumnType::kMoney || t == ColumnType::kSignedMoney; }

void YearRange(const KindDef& def, const ColumnDef& col, int this_year, CellSpec& spec) {
  spec.min_year = 1900;
  spec.max_year = this_year;
  if (def.kind == Kind::kReports && col.id == "year") spec.min_year = 1990;
  if (def.kind == Kind::kMembers && col.id == "to_year") spec.max_year = this_year + 30;  // agreed terms run ahead
}

}  // namespace

HeaderMap MapHeader(const KindDef& def, const std::vector<std::string>& header, bool ignore_unknown,
                    const std::string& file, int64_t header_row, int this_year, std::vector<Problem>& problems) {
  HeaderMap map;
  map.target_of_file_column.assign(header.size(), -1);
  map.file_column_of_target.assign(def.columns.size(), -1);
  map.specs.resize(def.columns.size());
  for (size_t i = 0; i < def.columns.size(); ++i) {
    map.specs[i].column = &def.columns[i];
    YearRange(def, def.columns[i], this_year, map.specs[i]);
  }
  std::vector<std::string> ids;
  std::vector<std::string> zhs;
  for (const ColumnDef& c : def.columns) {
    ids.push_back(text::NormaliseHeader(c.id));
    zhs.push_back(text::NormaliseHeader(c.zh));
  }
  auto find = [&](const std::string& name) -> int {
    for (size_t i = 0; i < def.columns.size(); ++i) {
      if (def.columns[i].from_input && (name == ids[i] || name == zhs[i])) return static_cast<int>(i);
    }
    return -1;
  };
  auto add = [&](Severity sev, size_t col, const std::string& rule, std::string zh, std::string en) {
    const std::string shown = text::Printable(header[col], 256);
    problems.push_back(Problem{sev, file, header_row, shown, shown, rule, std::move(zh), std::move(en)});
  };

  for (size_t f = 0; f < header.size(); ++f) {
    std::string name = text::NormaliseHeader(header[f]);
    if (name.empty()) continue;  // a trailing empty header cell (Excel often writes one)
    int target = find(name);
    std::string unit;
    if (target < 0 && name.back() == ')') {
      // "revenue(万元)": split off the last bracketed part as a unit.
      size_t open = name.rfind('(');
      if (open != std::string::npos && open > 0) {
        target = find(name.substr(0, open));
        unit = name.substr(open + 1, name.size() - open - 2);
      }
    }
    if (target < 0) {
      if (ignore_unknown) {
        add(Severity::kWarning, f, "header.unknown", fmt::format("忽略未知列“{}”", header[f]),
            fmt::format("ignored unknown column \"{}\"", header[f]));
      } else {
        add(Severity::kError, f, "header.unknown",
            fmt::format("未知列“{}”（{}的列：见 docs/formats.md；如确需忽略请用 --ignore-unknown-columns）", header[f],
                        def.zh),
            fmt::format("unknown column \"{}\" for {} (see docs/formats.md; --ignore-unknown-columns to skip it)",
                        header[f], def.id));
      }
      continue;
    }
    const ColumnDef& col = def.columns[static_cast<size_t>(target)];
    if (!unit.empty()) {
      bool ok = false;
      if (IsMoney(col.type)) {
        for (const Unit& u : kMoneyUnits) {
          if (unit == u.text) {
            map.specs[static_cast<size_t>(target)].money_exponent = u.exponent;
            ok = true;
          }
        }
      } else {
        for (std::string_view u : PlainUnitsOf(col.type)) ok = ok || unit == u;
      }
      if (!ok) {
        std::string allowed;
        for (std::string_view u : PlainUnitsOf(col.type)) allowed += (allowed.empty() ? "" : ", ") + std::string(u);
        add(Severity::kError, f, "header.unit",
            IsMoney(col.type) ? fmt::format("金额单位“{}”无法识别（可用：元、千元、万元、亿元）", unit)
            : allowed.empty() ? fmt::format("列{}不能带单位“{}”", col.id, unit)
                              : fmt::format("单位“{}”不适用于列{}（可用：{}）", unit, col.id, allowed),
            IsMoney(col.type) ? fmt::format("money unit \"{}\" not recognised (元, 千元, 万元, 亿元)", unit)
            : allowed.empty()
                ? fmt::format("column {} cannot carry a unit (\"{}\")", col.id, unit)
                : fmt::format("the unit \"{}\" does not fit column {} (allowed: {})", unit, col.id, allowed));
        continue;
      }
    }
    int& slot = map.file_column_of_target[static_cast<size_t>(target)];
    if (slot >= 0) {
      add(Severity::kError, f, "header.duplicate",
          fmt::format("列{}已由第{}列“{}”给出", col.id, slot + 1, header[static_cast<size_t>(slot)]),
          fmt::format("column {} already given by column {} (\"{}\")", col.id, slot + 1,
                      header[static_cast<size_t>(slot)]));
      continue;
    }
    slot = static_cast<int>(f);
    map.target_of_file_column[f] = target;
  }
  for (size_t i = 0; i < def.columns.size(); ++i) {
    const ColumnDef& col = def.columns[i];
    if (col.from_input && col.required && map.file_column_of_target[i] < 0) {
      map.fatal = true;
      problems.push_back(Problem{Severity::kError, file, header_row, "", "", "header.missing",
                                 fmt::format("缺少必填列 {}（{}）", col.id, col.zh),
                                 fmt::format("required column {} ({}) is missing", col.id, col.zh)});
    }
  }
  return map;
}

}  // namespace clusterscope::importer
