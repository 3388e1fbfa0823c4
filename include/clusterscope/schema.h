// The data model: the eight kinds of table clusterscope stores, their columns and the rules
// between columns — one registry that import, storage, listing and the docs all read
// (formats.md is its prose form).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace clusterscope {

// In dependency order: a kind may refer only to kinds before it.
enum class Kind { kRegions, kIndustries, kZones, kClusters, kFirms, kMembers, kInstitutions, kReports, kExpert };
inline constexpr Kind kAllKinds[] = {Kind::kRegions, Kind::kIndustries,   Kind::kZones,   Kind::kClusters, Kind::kFirms,
                                     Kind::kMembers, Kind::kInstitutions, Kind::kReports, Kind::kExpert};

enum class ColumnType {
  kText,           // free text, trimmed
  kName,           // a name: stored normalised (text::NormaliseName); the original kept beside it
  kId,             // an identifier chosen by the user (zone_id, cluster_id): trimmed, width-folded
  kUscc,           // GB 32100 credit code, upper-cased
  kRegionCode,     // GB/T 2260, 6 digits
  kIndustryClass,  // GB/T 4754-2017 class: 4 digits, optional leading section letter
  kIndustryCode,   // any GB/T 4754-2017 code: a section letter or 2-4 digits
  kIndustryList,   // ";"-separated division/group/class codes (2-4 digits)
  kYear,           // 1990 … this year (reports) or 1900 … this year + 1
  kDateOrYear,     // "2003-05-12", "2003/5/12", "2003", or an Excel date serial: stored as text
  kBool,           // yes/no: stored 0/1
  kCount,          // whole number ≥ 0 (people, items)
  kMoney,          // exact; stored in fen (0.01 yuan); ≥ 0
  kSignedMoney,    // as kMoney, may be negative
  kEnum,           // one of `options`
  kLatitude,       // WGS84 degrees
  kLongitude,
  kScore,  // an evaluation score, 0 … 100, decimals allowed: stored as a real
};

// One allowed value of an enum column: the stored form and every accepted spelling.
struct EnumOption {
  std::string_view stored;                    // "national"
  std::span<const std::string_view> aliases;  // {"national", "国家级"}
};

struct ColumnDef {
  std::string_view id;  // English id; also the SQL column name and the JSON key
  std::string_view zh;  // Chinese header
  ColumnType type;
  bool required = false;
  bool key = false;           // part of the kind's unique key
  std::string_view ref;       // kind id this column must refer to ("zones", "firms", …) or ""
  std::string_view fallback;  // stored when the cell is empty (e.g. producing → "1"); "" = NULL
  bool from_input = true;     // false: derived by the importer, never a header
  std::span<const EnumOption> options = {};
};

// sum(lhs) ≤ rhs, checked when every operand is present (formats.md's consistency rules).
struct ConsistencyRule {
  std::string_view id;  // rule id, e.g. "consistency.value_added"
  std::span<const std::string_view> lhs;
  std::string_view rhs;
};

struct KindDef {
  Kind kind;
  std::string_view id;  // "reports"
  std::string_view zh;  // "企业年报"
  std::span<const ColumnDef> columns;
  std::span<const ConsistencyRule> rules;

  // Index of column `id`, or -1.
  int ColumnIndex(std::string_view column_id) const;
  std::vector<int> KeyColumns() const;
};

const KindDef& Describe(Kind kind);
std::string_view KindId(Kind kind);
std::optional<Kind> ParseKind(std::string_view id);

// A stored value: NULL, an integer (counts, years, booleans, money in fen), a real (degrees) or text.
using Value = std::variant<std::monostate, int64_t, double, std::string>;
// One row of a kind, values in the order of KindDef::columns.
using Record = std::vector<Value>;

inline bool IsNull(const Value& v) { return std::holds_alternative<std::monostate>(v); }

// A column of a stored record by id: the text ("" when NULL) or the integer (nullopt when NULL).
// The column must exist in `def` and hold that type (a programming error otherwise).
std::string TextOf(const Record& record, const KindDef& def, std::string_view column);
std::optional<int64_t> IntOf(const Record& record, const KindDef& def, std::string_view column);
// A record of `kind` holding only its key: `values` in KindDef::KeyColumns() order.
Record KeyRecord(Kind kind, const std::vector<Value>& values);

// Money is stored in fen; 1 yuan = 100 fen.
inline constexpr int kMoneyScale = 2;

// The key of `record` as one string (key values joined by U+001F), for maps and messages.
std::string KeyOf(const KindDef& def, const Record& record);

}  // namespace clusterscope
