#include "store/snapshot_codec.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <limits>
#include <mutex>
#include <span>
#include <thread>
#include <type_traits>
#include <unordered_map>

#include "store/column_codec.h"
#include "store/ddl.h"

namespace clusterscope::store {
namespace {

// In the (0, 'firms') row. "checksummed" (before the totals) and older snapshots are rebuilt by
// `clusterscope init`; until then readers read the rows.
constexpr std::string_view kSnapshotFormat = "columns+totals+zones";

// The measures whose totals are kept (Store::ScanIndustryTotals), as reports column ids.
constexpr std::array<std::string_view, 3> kTotalMeasures = {"employees", "gross_output", "value_added"};

std::string TotalsId(std::string_view measure) { return fmt::format("totals:{}", measure); }

// The position of each measure among SnapshotColumns().
const std::array<size_t, 3>& MeasureSlots() {
  static const std::array<size_t, 3> slots = [] {
    std::array<size_t, 3> out{};
    const KindDef& def = Describe(Kind::kReports);
    const std::vector<int>& cols = SnapshotColumns();
    for (size_t m = 0; m < kTotalMeasures.size(); ++m) {
      for (size_t k = 0; k < cols.size(); ++k) {
        if (def.columns[static_cast<size_t>(cols[k])].id == kTotalMeasures[m]) out[m] = k;
      }
    }
    return out;
  }();
  return slots;
}

// As the dataset reads a region code (its leading digits as a number), divided down to the
// province: the totals must group firms exactly as the indicator engine does.
int ProvinceOf(std::string_view region) {
  int64_t n = 0;
  for (char c : region) {
    if (c < '0' || c > '9') break;
    n = n * 10 + (c - '0');
  }
  return static_cast<int>(n / 10000);
}

// Every firm in uscc order (its position), with what the totals group by.
struct Firms {
  std::vector<std::string> uscc;
  std::vector<int32_t> province;
  std::vector<int32_t> industry;  // index into `industries`
  std::vector<int32_t> zone;      // index into `zones`, -1 for none
  std::vector<double> lat, lon;   // NaN for none
  std::vector<std::string> industries;
  std::vector<std::string> zones;
};

Result<Firms> ReadFirms(SnapshotTables& tables) {
  Firms f;
  std::unordered_map<std::string, int32_t> index;
  std::unordered_map<std::string, int32_t> zone_index;
  CS_RETURN_IF_ERROR(tables.ForEachFirm([&](std::string_view uscc, std::string_view region, std::string_view industry,
                                            std::optional<std::string_view> zone, std::optional<double> lat,
                                            std::optional<double> lon) {
    f.uscc.emplace_back(uscc);
    const bool placed = lat && lon;
    f.lat.push_back(placed ? *lat : std::numeric_limits<double>::quiet_NaN());
    f.lon.push_back(placed ? *lon : std::numeric_limits<double>::quiet_NaN());
    f.province.push_back(ProvinceOf(region));
    auto [it, added] = index.try_emplace(std::string(industry), static_cast<int32_t>(f.industries.size()));
    if (added) f.industries.push_back(it->first);
    f.industry.push_back(it->second);
    if (!zone) {
      f.zone.push_back(-1);
    } else {
      auto [z, new_zone] = zone_index.try_emplace(std::string(*zone), static_cast<int32_t>(f.zones.size()));
      if (new_zone) f.zones.push_back(z->first);
      f.zone.push_back(z->second);
    }
  }));
  return f;
}

// One year's totals of the three measures by (province, industry), as the engine sums them:
// saturating at INT64_MIN (indicators/context.h), an industry present once any firm reported.
class Totals {
 public:
  explicit Totals(size_t industries) : industries_(industries) {}

  // One report of a firm of zone `zone`: its values by column, present where bit k is set.
  template <typename ValueAt>
  void AddToZone(int32_t zone, uint64_t present, size_t columns, ValueAt value_at) {
    if (zone < 0) return;
    if (zones_.size() <= static_cast<size_t>(zone)) zones_.resize(static_cast<size_t>(zone) + 1);
    ZoneCells& z = zones_[static_cast<size_t>(zone)];
    if (z.sums.empty()) {
      z.sums.assign(columns, 0);
      z.counts.assign(columns, 0);
    }
    ++z.reports;
    for (size_t k = 0; k < columns; ++k) {
      if (((present >> k) & 1u) == 0) continue;
      int64_t& t = z.sums[k];
      int64_t r;
      t = t == kSaturated || __builtin_add_overflow(t, value_at(k), &r) || r == kSaturated ? kSaturated : r;
      ++z.counts[k];
    }
  }

  // Lines "zone\treports" then "\tsum\tcount" per column, by zone id.
  std::string ZoneBlob(const std::vector<std::string>& names, int64_t& entries) const {
    std::vector<int32_t> by_name;
    for (size_t i = 0; i < zones_.size(); ++i) {
      if (zones_[i].reports > 0) by_name.push_back(static_cast<int32_t>(i));
    }
    std::sort(by_name.begin(), by_name.end(),
              [&](int32_t a, int32_t b) { return names[static_cast<size_t>(a)] < names[static_cast<size_t>(b)]; });
    std::string out;
    for (int32_t i : by_name) {
      const ZoneCells& z = zones_[static_cast<size_t>(i)];
      fmt::format_to(std::back_inserter(out), "{}\t{}", names[static_cast<size_t>(i)], z.reports);
      for (size_t k = 0; k < z.sums.size(); ++k)
        fmt::format_to(std::back_inserter(out), "\t{}\t{}", z.sums[k], z.counts[k]);
      out += '\n';
    }
    entries = static_cast<int64_t>(by_name.size());
    const uint64_t sum = BlobChecksum(out);
    out.append(reinterpret_cast<const char*>(&sum), 8);
    return out;
  }

  void Add(size_t measure, int province, int32_t industry, int64_t value) {
    AddTo(Nation(measure), industry, value);
    AddTo(Province(measure, province), industry, value);
  }

  // The blob of one measure: lines "province\tindustry\ttotal\n" by province, then industry code.
  std::string Blob(size_t measure, const std::vector<std::string>& names, int64_t& entries) const {
    std::vector<int32_t> by_name(names.size());
    for (size_t i = 0; i < by_name.size(); ++i) by_name[i] = static_cast<int32_t>(i);
    std::sort(by_name.begin(), by_name.end(),
              [&](int32_t a, int32_t b) { return names[static_cast<size_t>(a)] < names[static_cast<size_t>(b)]; });
    std::string out;
    entries = 0;
    for (const auto& [province, cells] : cells_[measure]) {
      for (int32_t i : by_name) {
        if (!cells.seen[static_cast<size_t>(i)]) continue;
        fmt::format_to(std::back_inserter(out), "{}\t{}\t{}\n", province, names[static_cast<size_t>(i)],
                       cells.total[static_cast<size_t>(i)]);
        ++entries;
      }
    }
    const uint64_t sum = BlobChecksum(out);
    out.append(reinterpret_cast<const char*>(&sum), 8);
    return out;
  }

 private:
  static constexpr int64_t kSaturated = INT64_MIN;
  struct ZoneCells {
    int64_t reports = 0;
    std::vector<int64_t> sums;
    std::vector<int64_t> counts;
  };
  std::vector<ZoneCells> zones_;
  struct Cells {
    std::vector<int64_t> total;
    std::vector<uint8_t> seen;
  };

  Cells& Cell(size_t measure, int province) {
    Cells& c = cells_[measure][province];
    if (c.total.empty()) {
      c.total.assign(industries_, 0);
      c.seen.assign(industries_, 0);
    }
    return c;
  }
  Cells& Nation(size_t measure) {
    if (nation_[measure] == nullptr) nation_[measure] = &Cell(measure, 0);
    return *nation_[measure];
  }
  // Firms come in uscc order, in which the province (digits 3-4 of the code) changes seldom.
  Cells& Province(size_t measure, int province) {
    if (last_[measure] == nullptr || last_province_[measure] != province) {
      last_[measure] = &Cell(measure, province);
      last_province_[measure] = province;
    }
    return *last_[measure];
  }
  static void AddTo(Cells& c, int32_t industry, int64_t value) {
    int64_t& t = c.total[static_cast<size_t>(industry)];
    int64_t r;
    t = t == kSaturated || __builtin_add_overflow(t, value, &r) || r == kSaturated ? kSaturated : r;
    c.seen[static_cast<size_t>(industry)] = 1;
  }

  size_t industries_;
  std::array<std::map<int, Cells>, 3> cells_;  // std::map: references stay valid as it grows
  std::array<Cells*, 3> nation_{};
  std::array<Cells*, 3> last_{};
  std::array<int, 3> last_province_{};
};

// Writes (replacing) rows of report_columns.
class BlobWriter {
 public:
  explicit BlobWriter(SnapshotTables& tables) : tables_(tables) {}
  Status Put(int year, std::string_view column, int64_t rows, std::string_view blob) {
    return tables_.Put(year, column, rows, blob);
  }
  Status PutTotals(int year, const Totals& totals, const std::vector<std::string>& industries,
                   const std::vector<std::string>& zones) {
    for (size_t m = 0; m < kTotalMeasures.size(); ++m) {
      int64_t entries = 0;
      const std::string blob = totals.Blob(m, industries, entries);
      CS_RETURN_IF_ERROR(Put(year, TotalsId(kTotalMeasures[m]), entries, blob));
    }
    int64_t entries = 0;
    const std::string blob = totals.ZoneBlob(zones, entries);
    return Put(year, "totals:zones", entries, blob);
  }
  Status PutMeta(int64_t firms) { return Put(0, "firms", firms, kSnapshotFormat); }
  // Every firm's industry and coordinates, by position (the sites:* rows).
  Status PutSites(const Firms& firms) {
    const auto rows = static_cast<int64_t>(firms.uscc.size());
    std::string names;
    for (const std::string& name : firms.industries) (names += name) += '\n';
    const uint64_t sum = BlobChecksum(names);
    names.append(reinterpret_cast<const char*>(&sum), 8);
    CS_RETURN_IF_ERROR(Put(0, "sites:industries", static_cast<int64_t>(firms.industries.size()), names));
    ColumnBuilder industry, lat, lon;
    for (size_t p = 0; p < firms.uscc.size(); ++p) {
      industry.Append(firms.industry[p]);
      for (auto [column, value] : {std::pair{&lat, firms.lat[p]}, std::pair{&lon, firms.lon[p]}}) {
        if (std::isnan(value)) {
          column->AppendNull();
        } else {
          column->Append(std::bit_cast<int64_t>(value));
        }
      }
    }
    CS_RETURN_IF_ERROR(Put(0, "sites:industry", rows, industry.Finish()));
    CS_RETURN_IF_ERROR(Put(0, "sites:lat", rows, lat.Finish()));
    return Put(0, "sites:lon", rows, lon.Finish());
  }

 private:
  SnapshotTables& tables_;
};

// The number of firms of the snapshot, or nullopt when it is missing or in an older format.
Result<std::optional<int64_t>> MetaFirmCount(SnapshotTables& tables) {
  CS_ASSIGN_OR_RETURN(std::optional<SnapshotBlob> meta, tables.Get(0, "firms"));
  if (!meta || meta->data != kSnapshotFormat) return std::optional<int64_t>();
  return std::optional<int64_t>(meta->rows);
}

// One blob's bytes; nullopt when the row is missing.
Result<std::optional<std::string>> GetData(SnapshotTables& tables, int year, std::string_view column) {
  CS_ASSIGN_OR_RETURN(std::optional<SnapshotBlob> blob, tables.Get(year, column));
  if (!blob) return std::optional<std::string>();
  return std::optional<std::string>(std::move(blob->data));
}

// The column ids of SnapshotColumns().
const std::vector<std::string>& SnapshotColumnIds() {
  static const std::vector<std::string> ids = [] {
    std::vector<std::string> out;
    for (int c : SnapshotColumns()) out.emplace_back(Describe(Kind::kReports).columns[static_cast<size_t>(c)].id);
    return out;
  }();
  return ids;
}

// A year being written: positions, columns and totals, row by row in firm order.
struct YearBuild {
  explicit YearBuild(size_t industries) : columns(SnapshotColumns().size()), totals(industries) {}
  ColumnBuilder firm;
  std::vector<ColumnBuilder> columns;
  Totals totals;

  // One row: the firm at `pos`, value k present when bit k of `present` is set.
  template <typename ValueAt>
  void Row(int64_t pos, uint64_t present, const Firms& firms, ValueAt value_at) {
    firm.Append(pos);
    for (size_t k = 0; k < columns.size(); ++k) {
      if ((present >> k) & 1u) {
        columns[k].Append(value_at(k));
      } else {
        columns[k].AppendNull();
      }
    }
    const auto p = static_cast<size_t>(pos);
    for (size_t m = 0; m < kTotalMeasures.size(); ++m) {
      const size_t k = MeasureSlots()[m];
      if ((present >> k) & 1u) totals.Add(m, firms.province[p], firms.industry[p], value_at(k));
    }
    totals.AddToZone(firms.zone[p], present, columns.size(), value_at);
  }

  Status Write(BlobWriter& out, int year, const Firms& firms) {
    const auto rows = static_cast<int64_t>(firm.size());
    CS_RETURN_IF_ERROR(out.Put(year, "firm", rows, firm.Finish()));
    for (size_t k = 0; k < columns.size(); ++k) {
      CS_RETURN_IF_ERROR(out.Put(year, SnapshotColumnIds()[k], rows, columns[k].Finish()));
      columns[k] = ColumnBuilder();  // free as we go
    }
    return out.PutTotals(year, totals, firms.industries, firms.zones);
  }
};

}  // namespace

const std::vector<int>& SnapshotColumns() {
  static const std::vector<int> cols = [] {
    const KindDef& def = Describe(Kind::kReports);
    std::vector<int> out;
    for (size_t i = 0; i < def.columns.size(); ++i) {
      if (!def.columns[i].key && IsIntegerColumn(def.columns[i].type)) out.push_back(static_cast<int>(i));
    }
    return out;
  }();
  return cols;
}

void SnapshotDelta::FirmInserted(const Record& firm) { inserted_firms_.push_back(std::get<std::string>(firm[0])); }

void SnapshotDelta::FirmReplaced(const Record& firm, const Record& previous) {
  const KindDef& def = Describe(Kind::kFirms);
  for (std::string_view id : {"region_code", "industry_code", "zone_id"}) {
    const auto c = static_cast<size_t>(def.ColumnIndex(id));
    if (firm[c] != previous[c]) places_changed_ = true;
  }
  for (std::string_view id : {"industry_code", "lat", "lon"}) {
    const auto c = static_cast<size_t>(def.ColumnIndex(id));
    if (firm[c] != previous[c]) sites_changed_ = true;
  }
  if (firm != previous) register_changed_ = true;
}

namespace {

// A report value in SnapshotDelta::YearRows::bytes: LEB128 of (payload << 2 | tag), tag 1 = the
// value / 100 zigzagged (money in fen is almost always whole yuan), 0 = the value zigzagged, 2 =
// eight raw bytes follow (a value too large for the shifts).
uint64_t ZigZag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t UnZigZag(uint64_t z) { return static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1); }

// Writes at `out` (room for 10 bytes); returns the end.
char* PutVarint(char* out, uint64_t x) {
  while (x >= 0x80) {
    *out++ = static_cast<char>((x & 0x7F) | 0x80);
    x >>= 7;
  }
  *out++ = static_cast<char>(x);
  return out;
}

// Writes at `out` (room for 18 bytes); returns the end.
char* PutValue(char* out, int64_t v) {
  constexpr int64_t kLimit = int64_t{1} << 60;
  if (v > -kLimit && v < kLimit)
    return v % 100 == 0 ? PutVarint(out, ZigZag(v / 100) << 2 | 1) : PutVarint(out, ZigZag(v) << 2);
  out = PutVarint(out, 2);
  std::memcpy(out, &v, 8);
  return out + 8;
}

int64_t GetValue(const char*& p) {
  uint64_t x = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(*p++);
    x |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) break;
  }
  const uint64_t tag = x & 3;
  if (tag == 2) {
    int64_t v;
    std::memcpy(&v, p, 8);
    p += 8;
    return v;
  }
  const int64_t v = UnZigZag(x >> 2);
  return tag == 1 ? v * 100 : v;
}

}  // namespace

void SnapshotDelta::Report(const Record& report) {
  const int year = static_cast<int>(std::get<int64_t>(report[1]));
  // A million-row import calls this a million times, its years interleaved: no map lookup.
  YearRows* y = nullptr;
  for (auto& [known, rows] : recent_) {
    if (known == year) y = rows;
  }
  if (y == nullptr) {
    y = &years_[year];  // std::map: the address stays valid as it grows
    if (recent_.size() == kRecentYears) recent_.erase(recent_.begin());
    recent_.emplace_back(year, y);
  }
  const auto& uscc = std::get<std::string>(report[0]);
  if (uscc.size() != kKeyBytes) odd_key_ = true;
  y->keys.append(uscc.data(), std::min(uscc.size(), kKeyBytes));
  y->keys.append(kKeyBytes - std::min(uscc.size(), kKeyBytes), ' ');
  const std::vector<int>& cols = SnapshotColumns();
  std::array<char, size_t{64} * 18> buffer;
  char* at = buffer.data();
  uint64_t present = 0;
  for (size_t k = 0; k < cols.size(); ++k) {
    if (const auto* v = std::get_if<int64_t>(&report[static_cast<size_t>(cols[k])])) {
      at = PutValue(at, *v);
      present |= uint64_t{1} << k;
    }
  }
  y->bytes.append(buffer.data(), static_cast<size_t>(at - buffer.data()));
  y->present.push_back(present);
  y->end.push_back(y->bytes.size());
}

Result<std::vector<std::optional<std::string>>> SnapshotTables::GetYear(int year,
                                                                        const std::vector<std::string_view>& columns) {
  std::vector<std::optional<std::string>> out;
  out.reserve(columns.size());
  for (std::string_view c : columns) {
    CS_ASSIGN_OR_RETURN(auto blob, GetData(*this, year, c));
    out.push_back(std::move(blob));
  }
  return out;
}

Status SnapshotTables::GetYearInto(int year, const std::vector<std::string_view>& columns,
                                   std::vector<std::string>& out, std::vector<char>& found,
                                   const std::function<void(size_t)>& on_read) {
  out.resize(columns.size());
  found.assign(columns.size(), 0);
  auto got = GetYear(year, columns);
  for (size_t i = 0; i < columns.size(); ++i) {
    if (got.ok() && (*got)[i]) {
      out[i] = std::move(*(*got)[i]);
      found[i] = 1;
    }
    on_read(i);
  }
  return got.status();
}

namespace {

// A text column of report_columns (the register:* and members:* rows): per row the varint of its
// length + 1 (0: null) and its bytes, then a checksum of all that.
class TextBuilder {
 public:
  void Append(std::optional<std::string_view> text) {
    std::array<char, 10> head;
    if (!text) {
      out_ += '\0';
      return;
    }
    out_.append(head.data(), static_cast<size_t>(PutVarint(head.data(), text->size() + 1) - head.data()));
    out_ += *text;
  }
  std::string Finish() {
    const uint64_t sum = BlobChecksum(out_);
    out_.append(reinterpret_cast<const char*>(&sum), 8);
    return std::move(out_);
  }

 private:
  std::string out_;
};

// `rows` texts from `blob` into `out`, with `keep` (one byte a row) only the rows kept (the others
// null); false when the blob is damaged.
bool DecodeTexts(std::string_view blob, size_t rows, RegisterColumns::Texts& out, std::span<const uint8_t> keep = {}) {
  if (blob.size() < 8 || (!keep.empty() && keep.size() != rows)) return false;
  uint64_t stored;
  std::memcpy(&stored, blob.data() + blob.size() - 8, 8);
  blob.remove_suffix(8);
  if (BlobChecksum(blob) != stored) return false;
  out.bytes.clear();
  if (keep.empty()) {
    out.bytes.reserve(blob.size());
  } else if (rows > 0) {  // the kept rows' share of the bytes, with a margin for longer ones
    const auto kept = static_cast<size_t>(std::count_if(keep.begin(), keep.end(), [](uint8_t k) { return k != 0; }));
    out.bytes.reserve(blob.size() / rows * kept * 5 / 4);
  }
  out.end.resize(rows);
  out.null.assign(rows, 0);
  const char* p = blob.data();
  const char* const end = p + blob.size();
  for (size_t r = 0; r < rows; ++r) {
    uint64_t x = 0;
    for (int shift = 0;; shift += 7) {
      if (p == end || shift > 63) return false;
      const auto byte = static_cast<unsigned char>(*p++);
      x |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) break;
    }
    if (x == 0) {
      out.null[r] = 1;
    } else {
      const uint64_t size = x - 1;
      if (size > static_cast<uint64_t>(end - p) || out.bytes.size() + size > UINT32_MAX) return false;
      if (keep.empty() || keep[r] != 0) {
        out.bytes.append(p, size);
      } else {
        out.null[r] = 1;
      }
      p += size;
    }
    out.end[r] = static_cast<uint32_t>(out.bytes.size());
  }
  return p == end;
}

// The leading decimal digits of a region code as a number (as the data set reads it).
int32_t RegionNumber(std::string_view code) {
  int32_t n = 0;
  std::from_chars(code.data(), code.data() + code.size(), n);
  return n;
}

// The register:* rows: every firm's register fields by position.
Status PutRegisterFirms(SnapshotTables& tables, int64_t firm_count) {
  TextBuilder uscc, name, name_en, founded, zone;
  ColumnBuilder region, cert, listed;
  int64_t rows = 0;
  CS_RETURN_IF_ERROR(tables.ForEachFirmRow([&](const SnapshotTables::FirmRow& f) {
    ++rows;
    uscc.Append(f.uscc);
    name.Append(f.name);
    name_en.Append(f.name_en);
    founded.Append(f.founded);
    zone.Append(f.zone);
    region.Append(RegionNumber(f.region));
    for (auto [column, value] : {std::pair{&cert, f.cert_year}, std::pair{&listed, f.listed}}) {
      if (value) {
        column->Append(*value);
      } else {
        column->AppendNull();
      }
    }
  }));
  if (rows != firm_count) return Status::Internal("the firms changed while the snapshot was written");
  for (auto [id, column] :
       {std::pair{"register:uscc", &uscc}, std::pair{"register:name", &name}, std::pair{"register:name_en", &name_en},
        std::pair{"register:founded", &founded}, std::pair{"register:zone_id", &zone}}) {
    CS_RETURN_IF_ERROR(tables.Put(0, id, rows, column->Finish()));
  }
  for (auto [id, column] : {std::pair{"register:region", &region}, std::pair{"register:cert_year", &cert},
                            std::pair{"register:listed", &listed}}) {
    CS_RETURN_IF_ERROR(tables.Put(0, id, rows, column->Finish()));
  }
  return Status::Ok();
}

// The members:* rows (every membership in key order with its firm's position among `usccs`, the
// firms in uscc order), then the row 'register' that says both are there.
Status PutRegisterMembers(SnapshotTables& tables, const std::vector<std::string>& usccs) {
  TextBuilder cluster;
  ColumnBuilder firm, from, to, backbone;
  int64_t rows = 0;
  CS_RETURN_IF_ERROR(tables.ForEachMember([&](const SnapshotTables::MemberRow& m) {
    ++rows;
    cluster.Append(m.cluster);
    // Memberships come by cluster, each cluster's by uscc: a binary search each (360,000 of them).
    const auto at = std::lower_bound(usccs.begin(), usccs.end(), m.uscc,
                                     [](const std::string& a, std::string_view b) { return a < b; });
    firm.Append(at != usccs.end() && *at == m.uscc ? at - usccs.begin() : -1);
    from.Append(m.from_year);
    if (m.to_year) {
      to.Append(*m.to_year);
    } else {
      to.AppendNull();
    }
    backbone.Append(m.role && *m.role == "backbone" ? 1 : 0);
  }));
  CS_RETURN_IF_ERROR(tables.Put(0, "members:cluster_id", rows, cluster.Finish()));
  for (auto [id, column] : {std::pair{"members:firm", &firm}, std::pair{"members:from_year", &from},
                            std::pair{"members:to_year", &to}, std::pair{"members:backbone", &backbone}}) {
    CS_RETURN_IF_ERROR(tables.Put(0, id, rows, column->Finish()));
  }
  return tables.Put(0, "register", rows, "firms+members");
}

Status PutRegister(SnapshotTables& tables, const std::vector<std::string>& usccs) {
  CS_RETURN_IF_ERROR(PutRegisterFirms(tables, static_cast<int64_t>(usccs.size())));
  return PutRegisterMembers(tables, usccs);
}

}  // namespace

Result<bool> SnapshotPresent(SnapshotTables& tables) {
  CS_ASSIGN_OR_RETURN(auto count, MetaFirmCount(tables));
  return count.has_value();
}

Status RebuildSnapshot(SnapshotTables& tables) {
  CS_RETURN_IF_ERROR(tables.Clear());
  CS_ASSIGN_OR_RETURN(Firms firms, ReadFirms(tables));
  std::map<int, YearBuild> years;
  size_t cursor = 0;  // reports come in uscc order, as the firms do
  int last_year = 0;
  YearBuild* y = nullptr;
  CS_RETURN_IF_ERROR(
      tables.ForEachReport([&](std::string_view uscc, int year, uint64_t present, const int64_t* values) {
        while (cursor < firms.uscc.size() && std::string_view(firms.uscc[cursor]) < uscc) ++cursor;
        if (cursor == firms.uscc.size() || firms.uscc[cursor] != uscc) return;  // not a registered firm
        if (y == nullptr || year != last_year) {
          y = &years.try_emplace(year, firms.industries.size()).first->second;
          last_year = year;
        }
        y->Row(static_cast<int64_t>(cursor), present, firms, [&](size_t k) { return values[k]; });
      }));
  BlobWriter out(tables);
  CS_RETURN_IF_ERROR(out.PutMeta(static_cast<int64_t>(firms.uscc.size())));
  CS_RETURN_IF_ERROR(out.PutSites(firms));
  CS_RETURN_IF_ERROR(PutRegister(tables, firms.uscc));
  for (auto& [year, build] : years) CS_RETURN_IF_ERROR(build.Write(out, year, firms));
  return Status::Ok();
}

// UpdateSnapshot's work, with the state its steps share.
class SnapshotUpdate {
 public:
  SnapshotUpdate(SnapshotTables& tables, SnapshotDelta& delta) : tables_(tables), delta_(delta), writer_(tables) {}

  Status Run() {
    CS_ASSIGN_OR_RETURN(std::optional<int64_t> old_count, MetaFirmCount(tables_));
    if (!old_count || delta_.odd_key_) return RebuildSnapshot(tables_);
    CS_ASSIGN_OR_RETURN(firms_, ReadFirms(tables_));
    // Where the new firms landed in uscc order; every other firm keeps its order, so an old
    // position maps to the next position not taken by a new firm.
    std::vector<std::string>& added = delta_.inserted_firms_;
    std::sort(added.begin(), added.end());
    added.erase(std::unique(added.begin(), added.end()), added.end());
    size_t found = 0;
    std::vector<uint8_t> is_new(firms_.uscc.size(), 0);
    for (size_t p = 0, j = 0; p < firms_.uscc.size() && j < added.size(); ++p) {
      while (j < added.size() && added[j] < firms_.uscc[p]) ++j;
      if (j < added.size() && added[j] == firms_.uscc[p]) {
        is_new[p] = 1;
        ++found;
        ++j;
      }
    }
    if (found != added.size() || static_cast<int64_t>(firms_.uscc.size()) != *old_count + static_cast<int64_t>(found)) {
      return RebuildSnapshot(tables_);  // not the firms this transaction is known to have added
    }
    if (found > 0) {
      for (size_t p = 0; p < is_new.size(); ++p) {
        if (!is_new[p]) new_position_.push_back(static_cast<int32_t>(p));
      }
    }
    CS_ASSIGN_OR_RETURN(auto stored, tables_.Years());
    std::map<int, std::optional<int64_t>> years;  // year → rows stored (nullopt: a new year)
    for (const auto& [year, rows] : stored) years[year] = rows;
    for (const auto& [year, rows] : delta_.years_) years.try_emplace(year);
    for (const auto& [year, rows] : years) {
      // A firm that moved to another region, industry or zone changes every year's totals: each
      // year is then rewritten whole (as rare as a register correction).
      const bool touched = delta_.years_.contains(year) || delta_.places_changed_;
      if (!touched && found == 0) continue;
      bool damaged = false;
      CS_RETURN_IF_ERROR(UpdateYear(year, rows, touched, damaged));
      if (damaged) return RebuildSnapshot(tables_);
    }
    // The sites follow the positions; a snapshot written before they were kept gets them now.
    bool sites_kept = true;
    if (found == 0 && !delta_.sites_changed_) {
      CS_ASSIGN_OR_RETURN(auto kept, tables_.Get(0, "sites:industries"));
      sites_kept = kept.has_value();
    }
    if (found > 0 || delta_.sites_changed_ || !sites_kept) CS_RETURN_IF_ERROR(writer_.PutSites(firms_));
    // So do the register's columns; the memberships also follow the members table.
    CS_ASSIGN_OR_RETURN(auto register_kept, tables_.Get(0, "register"));
    if (found > 0 || delta_.register_changed_ || !register_kept) {
      CS_RETURN_IF_ERROR(PutRegister(tables_, firms_.uscc));
    } else if (delta_.members_changed_) {
      CS_RETURN_IF_ERROR(PutRegisterMembers(tables_, firms_.uscc));
    }
    return writer_.PutMeta(static_cast<int64_t>(firms_.uscc.size()));
  }

 private:
  // Decodes column `id` of `year` (rows values) into out/present; false when damaged.
  Result<bool> Decode(int year, std::string_view id, size_t rows, int64_t* out, uint64_t* present, uint64_t bit) {
    CS_ASSIGN_OR_RETURN(auto blob, GetData(tables_, year, id));
    return blob.has_value() && DecodeColumn(*blob, rows, out, present, bit).ok();
  }

  Status UpdateYear(int year, std::optional<int64_t> stored_rows, bool touched, bool& damaged) {
    const size_t rows = stored_rows ? static_cast<size_t>(*stored_rows) : 0;
    std::vector<int64_t> pos(rows);
    std::vector<uint64_t> present(rows, 0);
    if (stored_rows) {
      std::vector<uint64_t> ignored(rows);
      CS_ASSIGN_OR_RETURN(bool ok, Decode(year, "firm", rows, pos.data(), ignored.data(), 1));
      if (!ok) return damaged = true, Status::Ok();
      for (size_t r = 0; r < rows; ++r) {
        if (pos[r] < 0 ||
            static_cast<size_t>(pos[r]) >= (new_position_.empty() ? firms_.uscc.size() : new_position_.size()) ||
            (r > 0 && pos[r] <= pos[r - 1])) {
          return damaged = true, Status::Ok();
        }
        if (!new_position_.empty()) pos[r] = new_position_[static_cast<size_t>(pos[r])];
      }
    }
    const std::vector<int>& cols = SnapshotColumns();
    if (!touched) {  // only renumbered positions
      ColumnBuilder firm;
      for (int64_t p : pos) firm.Append(p);
      return writer_.Put(year, "firm", static_cast<int64_t>(rows), firm.Finish());
    }
    // The stored columns of the year, then the changed rows merged in by position (a changed row
    // replaces the stored row of its firm; of two changes to one firm the later wins).
    std::vector<std::vector<int64_t>> old(cols.size());
    if (stored_rows) {
      for (size_t k = 0; k < cols.size(); ++k) {
        old[k].resize(rows);
        CS_ASSIGN_OR_RETURN(
            bool ok, Decode(year, SnapshotColumnIds()[k], rows, old[k].data(), present.data(), uint64_t{1} << k));
        if (!ok) return damaged = true, Status::Ok();
      }
    }
    SnapshotDelta::YearRows& changed = delta_.years_[year];
    const size_t n_changed = changed.size();
    // The changed rows column by column, and their firms' positions.
    std::vector<std::vector<int64_t>> values(cols.size(), std::vector<int64_t>(n_changed, 0));
    std::vector<std::pair<int32_t, uint32_t>> order;  // (position, changed row)
    order.reserve(n_changed);
    size_t cursor = 0;
    for (size_t i = 0; i < n_changed; ++i) {
      const char* p = changed.bytes.data() + (i == 0 ? 0 : changed.end[i - 1]);
      for (size_t k = 0; k < cols.size(); ++k) {
        if ((changed.present[i] >> k) & 1u) values[k][i] = GetValue(p);
      }
      const std::string_view key(changed.keys.data() + i * SnapshotDelta::kKeyBytes, SnapshotDelta::kKeyBytes);
      // Reports usually come in uscc order: step on from the last firm found, else search.
      size_t at = cursor;
      constexpr size_t kSteps = 8;
      size_t steps = 0;
      while (at < firms_.uscc.size() && steps < kSteps && std::string_view(firms_.uscc[at]) < key) ++at, ++steps;
      if (steps == kSteps || (at > 0 && std::string_view(firms_.uscc[at - 1]) >= key)) {
        at = static_cast<size_t>(std::lower_bound(firms_.uscc.begin(), firms_.uscc.end(), key,
                                                  [](const std::string& a, std::string_view b) { return a < b; }) -
                                 firms_.uscc.begin());
      }
      cursor = at;
      if (at == firms_.uscc.size() || firms_.uscc[at] != key) continue;  // not a registered firm
      order.emplace_back(static_cast<int32_t>(at), static_cast<uint32_t>(i));
    }
    std::string().swap(changed.bytes);
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    // The merged rows in firm order: each from the stored year (source r ≥ 0) or a change (~i).
    std::vector<int64_t> merged_pos;
    std::vector<int64_t> source;
    merged_pos.reserve(rows + order.size());
    source.reserve(rows + order.size());
    size_t r = 0;
    for (size_t j = 0; j < order.size(); ++j) {
      if (j + 1 < order.size() && order[j + 1].first == order[j].first) continue;  // a later change wins
      const auto [p, i] = order[j];
      for (; r < rows && pos[r] < p; ++r) {
        merged_pos.push_back(pos[r]);
        source.push_back(static_cast<int64_t>(r));
      }
      if (r < rows && pos[r] == p) ++r;  // replaced
      merged_pos.push_back(p);
      source.push_back(~static_cast<int64_t>(i));
    }
    for (; r < rows; ++r) {
      merged_pos.push_back(pos[r]);
      source.push_back(static_cast<int64_t>(r));
    }
    const uint64_t* changed_present = changed.present.data();
    auto present_of = [&](int64_t s) { return s >= 0 ? present[static_cast<size_t>(s)] : changed_present[~s]; };
    auto value_of = [&](int64_t s, size_t k) {
      return s >= 0 ? old[k][static_cast<size_t>(s)] : values[k][static_cast<size_t>(~s)];
    };
    // Encoded on every core: one task per column, one for the positions, one for the totals.
    std::vector<std::string> blobs(cols.size() + 1);
    Totals totals(firms_.industries.size());
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t task; (task = next.fetch_add(1)) <= cols.size() + 1;) {
        if (task == cols.size() + 1) {
          for (size_t m = 0; m < merged_pos.size(); ++m) {
            const auto p = static_cast<size_t>(merged_pos[m]);
            const uint64_t bits = present_of(source[m]);
            for (size_t t = 0; t < kTotalMeasures.size(); ++t) {
              const size_t k = MeasureSlots()[t];
              if ((bits >> k) & 1u) totals.Add(t, firms_.province[p], firms_.industry[p], value_of(source[m], k));
            }
            totals.AddToZone(firms_.zone[p], bits, cols.size(), [&](size_t k) { return value_of(source[m], k); });
          }
        } else if (task == cols.size()) {
          ColumnBuilder b;
          for (int64_t p : merged_pos) b.Append(p);
          blobs[task] = b.Finish();
        } else {
          ColumnBuilder b;
          for (size_t m = 0; m < merged_pos.size(); ++m) {
            if ((present_of(source[m]) >> task) & 1u) {
              b.Append(value_of(source[m], task));
            } else {
              b.AppendNull();
            }
          }
          blobs[task] = b.Finish();
        }
      }
    };
    {
      std::vector<std::jthread> pool;
      const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
      for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
      work();
    }
    changed = SnapshotDelta::YearRows();  // free as we go
    old.clear();
    values.clear();
    const auto merged_rows = static_cast<int64_t>(merged_pos.size());
    CS_RETURN_IF_ERROR(writer_.Put(year, "firm", merged_rows, blobs[cols.size()]));
    for (size_t k = 0; k < cols.size(); ++k) {
      CS_RETURN_IF_ERROR(writer_.Put(year, SnapshotColumnIds()[k], merged_rows, blobs[k]));
    }
    return writer_.PutTotals(year, totals, firms_.industries, firms_.zones);
  }

  SnapshotTables& tables_;
  SnapshotDelta& delta_;
  BlobWriter writer_;
  Firms firms_;
  std::vector<int32_t> new_position_;  // old position → new, when firms were added
};

Status UpdateSnapshot(SnapshotTables& tables, SnapshotDelta& delta) {
  if (delta.empty()) return Status::Ok();
  return SnapshotUpdate(tables, delta).Run();
}

namespace {

// Whether a year's firm column indexes the firms: each position one of them, ascending (the
// engine relies on it).
bool ValidPositions(const std::vector<int64_t>& firm, size_t rows, int64_t firm_count) {
  for (size_t r = 0; r < rows; ++r) {
    if (firm[r] < 0 || firm[r] >= firm_count || (r > 0 && firm[r] <= firm[r - 1])) return false;
  }
  return true;
}

// Reads `year`'s blobs into `blobs` on this thread (one query where the store can) while the other
// `threads - 1` run decode(i, thread) on blob i ≥ `first` as soon as it is in; `after_read(i)`
// runs on this thread right after blob i is read, before any decoder sees it. This thread then
// decodes too. The read's status; `found` says which blobs exist (a decoder may have run on a
// missing one's stale bytes: the caller checks `found` first).
Status ReadAndDecode(SnapshotTables& tables, int year, const std::vector<std::string_view>& ids,
                     std::vector<std::string>& blobs, std::vector<char>& found, size_t threads, size_t first,
                     const std::function<void(size_t)>& after_read,
                     const std::function<void(size_t i, size_t thread)>& decode) {
  std::atomic<size_t> next{first};
  std::mutex read_mutex;
  std::condition_variable read_cv;
  size_t read = 0;  // blobs[0, read) are complete (guarded by read_mutex)
  const auto mark_read = [&](size_t upto) {
    {
      std::lock_guard<std::mutex> lock(read_mutex);
      read = upto;
    }
    read_cv.notify_all();
  };
  const auto work = [&](size_t me) {
    for (size_t i; (i = next.fetch_add(1)) < ids.size();) {
      {
        std::unique_lock<std::mutex> lock(read_mutex);
        read_cv.wait(lock, [&] { return read > i; });
      }
      decode(i, me);
    }
  };
  std::vector<std::jthread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work, t);
  Status status = tables.GetYearInto(year, ids, blobs, found, [&](size_t i) {
    if (after_read) after_read(i);
    mark_read(i + 1);
  });
  mark_read(ids.size());  // a failed read still lets every decoder finish (on what it has)
  work(0);
  return status;
}

// One year of ReadSnapshot restricted to the rows of `wanted` (firm positions, ascending): the
// firm column, then the requested columns, each decoded as it is read. False when the year is
// damaged.
Result<bool> ReadSelectedRows(SnapshotTables& tables, int year, const std::vector<std::string_view>& ids,
                              std::vector<std::string>& blobs, std::vector<char>& found, size_t rows,
                              int64_t firm_count, const std::vector<int32_t>& wanted, bool scaled, size_t threads,
                              std::vector<int64_t>& firm, ReportYearColumns& y) {
  const size_t columns = ids.size() - 1;
  // The rows of the wanted firms (both lists ascend), found on this thread as soon as the firm
  // column is in, before the other columns are decoded.
  std::vector<uint32_t> selected;
  bool positions_ok = false;
  const auto select = [&](size_t i) {
    if (i != 0 || found[0] == 0) return;
    if (!DecodeColumn(blobs[0], rows, firm.data(), nullptr, 0).ok() || !ValidPositions(firm, rows, firm_count)) return;
    y.firm.clear();
    for (size_t r = 0, w = 0; r < rows && w < wanted.size();) {
      if (firm[r] < wanted[w]) {
        ++r;
      } else if (firm[r] > wanted[w]) {
        ++w;
      } else {
        selected.push_back(static_cast<uint32_t>(r));
        y.firm.push_back(static_cast<int32_t>(firm[r]));
        ++r;
        ++w;
      }
    }
    const size_t n = selected.size();
    if (scaled) {
      y.values.clear();
      y.scaled.assign(columns, ScaledColumn{});
    } else {
      y.values.assign(columns, std::vector<int64_t>(n));
      y.scaled.clear();
    }
    positions_ok = true;
  };
  std::vector<std::vector<uint64_t>> present(threads);
  std::vector<char> failed(threads, 0);
  CS_RETURN_IF_ERROR(ReadAndDecode(tables, year, ids, blobs, found, threads, 1, select, [&](size_t i, size_t me) {
    if (!positions_ok) return;  // the firm column is missing or damaged: nothing to decode into
    const size_t n = selected.size();
    if (present[me].size() != n) present[me].assign(n, 0);
    const uint64_t bit = uint64_t{1} << (i - 1);
    const Status s =
        scaled ? DecodeScaledColumnRows(blobs[i], rows, selected.data(), n, y.scaled[i - 1], present[me].data(), bit)
               : DecodeColumnRows(blobs[i], rows, selected.data(), n, y.values[i - 1].data(), present[me].data(), bit);
    if (!s.ok()) failed[me] = 1;
  }));
  for (char f : found) {
    if (f == 0) return false;  // a column of the year is missing
  }
  if (!positions_ok) return false;
  for (char f : failed) {
    if (f != 0) return false;
  }
  const size_t n = selected.size();
  y.present.assign(n, 0);
  for (const std::vector<uint64_t>& p : present) {
    for (size_t r = 0; r < p.size(); ++r) y.present[r] |= p[r];
  }
  return true;
}

}  // namespace

Result<SnapshotScan> ReadSnapshot(SnapshotTables& tables, const ReportColumnsRequest& request,
                                  const std::function<Status(ReportYearColumns&)>& fn) {
  const std::vector<std::string>& columns = request.columns;
  if (columns.size() > 64) return SnapshotScan::kAbsent;
  CS_ASSIGN_OR_RETURN(std::optional<int64_t> firm_count, MetaFirmCount(tables));
  if (!firm_count || *firm_count != request.firm_count) return SnapshotScan::kAbsent;
  CS_ASSIGN_OR_RETURN(auto years, tables.Years());
  std::vector<int64_t> firm;
  std::vector<std::string_view> ids{"firm"};
  ids.insert(ids.end(), columns.begin(), columns.end());
  std::vector<std::string> blobs(columns.size() + 1);  // reused from year to year, as `y`
  std::vector<char> found;
  const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
  ReportYearColumns y;  // reused from year to year: its value vectors keep their memory
  for (const auto& [year, rows64] : years) {
    if ((request.first_year != 0 && year < request.first_year) ||
        (request.last_year != 0 && year > request.last_year)) {
      continue;
    }
    if (rows64 < 0 || rows64 > *firm_count) return SnapshotScan::kDamaged;  // at most one report per firm a year
    const auto rows = static_cast<size_t>(rows64);
    y.year = year;
    if (request.scaled) {
      y.values.clear();
      y.scaled.resize(columns.size());
    } else {
      y.values.resize(columns.size());
      y.scaled.clear();
    }
    firm.resize(rows);
    if (request.firms != nullptr) {
      CS_ASSIGN_OR_RETURN(bool ok, ReadSelectedRows(tables, year, ids, blobs, found, rows, *firm_count, *request.firms,
                                                    request.scaled, threads, firm, y));
      if (!ok) return SnapshotScan::kDamaged;
      CS_RETURN_IF_ERROR(fn(y));
      continue;
    }
    // Each blob decoded on another core as soon as it is read (ReadAndDecode); the presence bits
    // are left to one pass at the end (SetPresenceRows).
    std::vector<Status> failed(threads, Status::Ok());
    const Status read_status =
        ReadAndDecode(tables, year, ids, blobs, found, threads, 0, nullptr, [&](size_t i, size_t me) {
          Status s = Status::Ok();
          if (i == 0) {
            s = DecodeColumn(blobs[0], rows, firm.data(), nullptr, 0);
          } else if (request.scaled) {
            s = DecodeScaledColumn(blobs[i], rows, y.scaled[i - 1], nullptr, 0);
          } else {
            y.values[i - 1].resize(rows);
            s = DecodeColumn(blobs[i], rows, y.values[i - 1].data(), nullptr, 0);
          }
          if (!s.ok()) failed[me] = s;
        });
    CS_RETURN_IF_ERROR(read_status);
    for (char f : found) {
      if (f == 0) return SnapshotScan::kDamaged;  // a column of the year is missing
    }
    for (const Status& s : failed) {
      if (!s.ok()) return SnapshotScan::kDamaged;  // a blob fails its checksum or does not decode
    }
    if (!ValidPositions(firm, rows, *firm_count)) return SnapshotScan::kDamaged;
    // Every column's bitmap (each blob checked above) into each row's bits, a range of rows a thread.
    std::vector<const char*> bits(columns.size());
    for (size_t i = 1; i <= columns.size(); ++i) bits[i - 1] = PresenceBits(blobs[i]);
    if (y.present.capacity() < rows) y.present.reserve(rows + rows / 8);  // as DecodeScaledColumn
    y.present.resize(rows);
    {
      const size_t chunk = (rows / threads + 64) / 64 * 64;
      std::vector<std::jthread> pool;
      for (size_t t = 1; t < threads && t * chunk < rows; ++t) {
        pool.emplace_back(
            [&, t] { SetPresenceRows(bits, t * chunk, std::min(rows, (t + 1) * chunk), &y.present[t * chunk]); });
      }
      SetPresenceRows(bits, 0, std::min(rows, chunk), y.present.data());
    }
    y.firm.resize(rows);
    for (size_t r = 0; r < rows; ++r) y.firm[r] = static_cast<int32_t>(firm[r]);
    CS_RETURN_IF_ERROR(fn(y));
  }
  return SnapshotScan::kRead;
}

// The text of the totals blob `id` of `year`, its checksum checked and cut off; nullopt with
// `found` saying why when there is nothing to read: kAbsent (no snapshot), kRead (no reports that
// year, so no totals either) or kDamaged.
Result<std::optional<std::string>> TotalsText(SnapshotTables& tables, int year, std::string_view id,
                                              SnapshotScan& found) {
  CS_ASSIGN_OR_RETURN(std::optional<int64_t> firm_count, MetaFirmCount(tables));
  found = SnapshotScan::kAbsent;
  if (!firm_count) return std::optional<std::string>();
  CS_ASSIGN_OR_RETURN(auto blob, GetData(tables, year, id));
  found = SnapshotScan::kDamaged;
  if (!blob) {
    CS_ASSIGN_OR_RETURN(auto positions, GetData(tables, year, "firm"));
    if (!positions) found = SnapshotScan::kRead;
    return std::optional<std::string>();
  }
  if (blob->size() < 8) return std::optional<std::string>();
  uint64_t stored;
  std::memcpy(&stored, blob->data() + blob->size() - 8, 8);
  blob->resize(blob->size() - 8);
  if (BlobChecksum(*blob) != stored) return std::optional<std::string>();
  found = SnapshotScan::kRead;
  return blob;
}

Result<SnapshotScan> ReadIndustryTotals(SnapshotTables& tables, std::string_view measure, int year,
                                        const std::function<void(const IndustryTotal&)>& fn) {
  if (std::find(kTotalMeasures.begin(), kTotalMeasures.end(), measure) == kTotalMeasures.end()) {
    return Status::Usage(fmt::format("no totals are kept of \"{}\"", measure));
  }
  SnapshotScan found = SnapshotScan::kRead;
  CS_ASSIGN_OR_RETURN(std::optional<std::string> blob, TotalsText(tables, year, TotalsId(measure), found));
  if (!blob) return found;
  std::string_view text(*blob);
  while (!text.empty()) {
    const size_t end = text.find('\n');
    if (end == std::string_view::npos) return SnapshotScan::kDamaged;
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end + 1);
    const size_t t1 = line.find('\t');
    const size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos) return SnapshotScan::kDamaged;
    IndustryTotal e;
    e.industry = line.substr(t1 + 1, t2 - t1 - 1);
    const auto p = std::from_chars(line.data(), line.data() + t1, e.province);
    const auto q = std::from_chars(line.data() + t2 + 1, line.data() + line.size(), e.total);
    if (p.ec != std::errc() || q.ec != std::errc() || q.ptr != line.data() + line.size()) return SnapshotScan::kDamaged;
    fn(e);
  }
  return SnapshotScan::kRead;
}

Result<SnapshotScan> ReadZoneTotals(SnapshotTables& tables, int year,
                                    const std::function<void(const ZoneTotals&)>& fn) {
  SnapshotScan found = SnapshotScan::kRead;
  CS_ASSIGN_OR_RETURN(std::optional<std::string> blob, TotalsText(tables, year, "totals:zones", found));
  if (!blob) return found;
  std::string_view text(*blob);
  const size_t columns = SnapshotColumns().size();
  ZoneTotals z;
  z.columns = &SnapshotColumnIds();
  z.sums.resize(columns);
  z.counts.resize(columns);
  while (!text.empty()) {
    const size_t end = text.find('\n');
    if (end == std::string_view::npos) return SnapshotScan::kDamaged;
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end + 1);
    auto field = [&]() -> std::string_view {
      const size_t tab = std::min(line.find('\t'), line.size());
      std::string_view f = line.substr(0, tab);
      line.remove_prefix(std::min(tab + 1, line.size()));
      return f;
    };
    auto number = [&](int64_t& out) {
      const std::string_view f = field();
      const auto r = std::from_chars(f.data(), f.data() + f.size(), out);
      return r.ec == std::errc() && r.ptr == f.data() + f.size() && !f.empty();
    };
    z.zone = field();
    bool ok = number(z.reports);
    for (size_t k = 0; ok && k < columns; ++k) ok = number(z.sums[k]) && number(z.counts[k]);
    if (!ok || !line.empty()) return SnapshotScan::kDamaged;
    fn(z);
  }
  return SnapshotScan::kRead;
}

Result<SnapshotScan> ReadFirmSites(SnapshotTables& tables, const std::function<void(FirmSites&)>& fn) {
  CS_ASSIGN_OR_RETURN(std::optional<int64_t> firm_count, MetaFirmCount(tables));
  if (!firm_count) return SnapshotScan::kAbsent;
  CS_ASSIGN_OR_RETURN(std::optional<SnapshotBlob> names, tables.Get(0, "sites:industries"));
  if (!names) return SnapshotScan::kAbsent;  // written before the sites were kept
  FirmSites sites;
  std::string& text = names->data;
  if (text.size() < 8) return SnapshotScan::kDamaged;
  uint64_t stored;
  std::memcpy(&stored, text.data() + text.size() - 8, 8);
  text.resize(text.size() - 8);
  if (BlobChecksum(text) != stored) return SnapshotScan::kDamaged;
  for (std::string_view rest(text); !rest.empty();) {
    const size_t end = rest.find('\n');
    if (end == std::string_view::npos) return SnapshotScan::kDamaged;
    sites.industries.emplace_back(rest.substr(0, end));
    rest.remove_prefix(end + 1);
  }
  if (static_cast<int64_t>(sites.industries.size()) != names->rows) return SnapshotScan::kDamaged;
  const auto rows = static_cast<size_t>(*firm_count);
  std::vector<int64_t> values(rows);
  std::vector<uint64_t> present(rows);
  const auto decode = [&](std::string_view id) -> Result<bool> {
    CS_ASSIGN_OR_RETURN(std::optional<SnapshotBlob> blob, tables.Get(0, id));
    std::fill(present.begin(), present.end(), 0);
    return blob && blob->rows == *firm_count && DecodeColumn(blob->data, rows, values.data(), present.data(), 1).ok();
  };
  CS_ASSIGN_OR_RETURN(bool ok, decode("sites:industry"));
  if (!ok) return SnapshotScan::kDamaged;
  sites.industry.resize(rows);
  for (size_t p = 0; p < rows; ++p) {
    if (present[p] == 0 || values[p] < 0 || static_cast<size_t>(values[p]) >= sites.industries.size()) {
      return SnapshotScan::kDamaged;
    }
    sites.industry[p] = static_cast<int32_t>(values[p]);
  }
  for (auto [id, out] : {std::pair{"sites:lat", &sites.lat}, std::pair{"sites:lon", &sites.lon}}) {
    CS_ASSIGN_OR_RETURN(ok, decode(id));
    if (!ok) return SnapshotScan::kDamaged;
    out->resize(rows);
    for (size_t p = 0; p < rows; ++p) {
      (*out)[p] = present[p] != 0 ? std::bit_cast<double>(values[p]) : std::numeric_limits<double>::quiet_NaN();
    }
  }
  fn(sites);
  return SnapshotScan::kRead;
}

Result<SnapshotScan> ReadRegisterColumns(SnapshotTables& tables, const RegisterRead& what,
                                         const std::function<void(RegisterColumns&)>& fn) {
  CS_ASSIGN_OR_RETURN(std::optional<int64_t> firm_count, MetaFirmCount(tables));
  if (!firm_count) return SnapshotScan::kAbsent;
  CS_ASSIGN_OR_RETURN(std::optional<SnapshotBlob> meta, tables.Get(0, "register"));
  if (!meta) return SnapshotScan::kAbsent;  // written before the register was kept
  RegisterColumns out;
  out.firm_count = *firm_count;
  std::vector<int64_t> values;
  std::vector<uint64_t> present;
  // Row `id`: `rows` values, each checked by `valid`, into `to` (`null` where there is none).
  const auto ints = [&](std::string_view id, int64_t rows, auto& to, int64_t null, auto valid) -> Result<bool> {
    CS_ASSIGN_OR_RETURN(std::optional<SnapshotBlob> blob, tables.Get(0, id));
    const auto n = static_cast<size_t>(rows);
    values.assign(n, 0);
    present.assign(n, 0);
    if (!blob || blob->rows != rows || !DecodeColumn(blob->data, n, values.data(), present.data(), 1).ok()) {
      return false;
    }
    to.resize(n);
    for (size_t r = 0; r < n; ++r) {
      const int64_t v = present[r] != 0 ? values[r] : null;
      if (!valid(v)) return false;
      to[r] = static_cast<std::remove_reference_t<decltype(to[r])>>(v);
    }
    return true;
  };
  const auto texts = [&](std::string_view id, int64_t rows, RegisterColumns::Texts& to,
                         std::span<const uint8_t> keep = {}) -> Result<bool> {
    CS_ASSIGN_OR_RETURN(std::optional<SnapshotBlob> blob, tables.Get(0, id));
    return blob && blob->rows == rows && DecodeTexts(blob->data, static_cast<size_t>(rows), to, keep);
  };
  const auto year = [](int64_t v) { return v >= 0 && v <= INT32_MAX; };
  const auto any = [](int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; };
  const int64_t members = meta->rows;
  const int64_t firm_rows = *firm_count;
  if (!what.keep.empty() && static_cast<int64_t>(what.keep.size()) != firm_rows) {
    return Status::Internal(fmt::format("register read: {} firms to keep or not, the register holds {}",
                                        what.keep.size(), firm_rows))
        .WithId("store.register_keep");
  }
  std::vector<std::function<Result<bool>()>> parts;
  if (what.members) {
    parts = {
        [&] { return texts("members:cluster_id", members, out.member_cluster); },
        [&] {
          return ints("members:firm", members, out.member_firm, -2,
                      [&](int64_t v) { return v >= -1 && v < firm_rows; });
        },
        [&] { return ints("members:from_year", members, out.from_year, -1, year); },
        [&] { return ints("members:to_year", members, out.to_year, INT32_MAX, year); },
        [&] { return ints("members:backbone", members, out.backbone, -1, [](int64_t v) { return v == 0 || v == 1; }); },
    };
  }
  if (what.firms) {
    // The zone of every firm, kept or not: a named zone's firms are found by it.
    parts.emplace_back([&] { return texts("register:zone_id", firm_rows, out.zone_id); });
    for (const auto& column :
         {std::pair{"register:uscc", &out.uscc}, std::pair{"register:name", &out.name},
          std::pair{"register:name_en", &out.name_en}, std::pair{"register:founded", &out.founded}}) {
      parts.emplace_back([&, column] { return texts(column.first, firm_rows, *column.second, what.keep); });
    }
    parts.emplace_back([&] { return ints("register:region", firm_rows, out.region, 0, any); });
    parts.emplace_back([&] { return ints("register:cert_year", firm_rows, out.cert_year, 0, year); });
    parts.emplace_back([&] {
      return ints("register:listed", firm_rows, out.listed, -1, [](int64_t v) { return v >= -1 && v <= 1; });
    });
  }
  bool ok = meta->data == "firms+members" && members >= 0;
  for (size_t i = 0; ok && i < parts.size(); ++i) {
    CS_ASSIGN_OR_RETURN(ok, parts[i]());
  }
  if (!ok) return SnapshotScan::kDamaged;
  fn(out);
  return SnapshotScan::kRead;
}

Result<std::optional<std::vector<int>>> SnapshotYears(SnapshotTables& tables) {
  CS_ASSIGN_OR_RETURN(std::optional<int64_t> firm_count, MetaFirmCount(tables));
  if (!firm_count) return std::optional<std::vector<int>>();
  CS_ASSIGN_OR_RETURN(auto years, tables.Years());
  std::vector<int> out;
  out.reserve(years.size());
  for (const auto& [year, rows] : years) out.push_back(year);
  return std::optional<std::vector<int>>(std::move(out));
}

}  // namespace clusterscope::store
