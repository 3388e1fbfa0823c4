#include "clusterscope/workspace.h"

#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "clusterscope/output_file.h"

#include "clusterscope/format.h"

namespace clusterscope {

Result<std::unique_ptr<Store>> OpenDatabase(const std::string& url, WorkspaceMode mode, const OpenOptions& write) {
  if (mode == WorkspaceMode::kRead) {
    CS_ASSIGN_OR_RETURN(auto store, OpenStore(url, OpenOptions{.create = false, .read_only = true}));
    CS_ASSIGN_OR_RETURN(int version, store->SchemaVersion());
    if (version > kSchemaVersion) {
      return Status::Environment(fmt::format("{}: schema version {} was written by a newer clusterscope; this build "
                                             "reads version {}. Upgrade clusterscope; the database was not changed",
                                             RedactedUrl(url), version, kSchemaVersion))
          .WithId("db.newer_schema");
    }
    if (version != kSchemaVersion) {
      return Status::Environment(fmt::format("{}: schema version {}, this build reads {}; run `clusterscope init` to "
                                             "upgrade it",
                                             RedactedUrl(url), version, kSchemaVersion))
          .WithId("db.older_schema");
    }
    return store;
  }
  CS_ASSIGN_OR_RETURN(auto store, OpenStore(url, write));
  CS_ASSIGN_OR_RETURN(int version, store->SchemaVersion());
  if (version == 0) {
    CS_RETURN_IF_ERROR(InitDatabase(*store));
  } else if (version < kSchemaVersion) {
    return Status::Environment(fmt::format("{}: schema version {} is older than this build's {}; run `clusterscope "
                                           "init` to upgrade it",
                                           RedactedUrl(url), version, kSchemaVersion))
        .WithId("db.older_schema");
  } else if (version > kSchemaVersion) {
    CS_RETURN_IF_ERROR(store->Init());  // refuses, with the message, and changes nothing
  }
  return store;
}

Result<std::pair<int, int>> InitDatabaseAt(const std::string& url) {
  CS_ASSIGN_OR_RETURN(auto store, OpenStore(url));
  CS_ASSIGN_OR_RETURN(int before, store->SchemaVersion());
  int64_t added = 0;
  CS_RETURN_IF_ERROR(InitDatabase(*store, &added));
  CS_ASSIGN_OR_RETURN(int after, store->SchemaVersion());
  // An empty store is always given reference rows, so none means a concurrent init created it
  // between our first look and the write lock: for this call it was current.
  if (before == 0 && added == 0) before = after;
  return std::pair{before, after};
}

Result<ImportOutcome> ImportIntoDatabase(const std::string& url, std::vector<ImportInput> inputs,
                                         const ImportOptions& options) {
  std::error_code ec;
  const bool fresh = !DatabaseFiles(url).empty() && !std::filesystem::exists(url, ec);
  std::string path = url;
  if (fresh) {
    path = url + ".new-XXXXXX";
    const int fd = ::mkstemp(path.data());
    if (fd < 0) return Status::Environment(fmt::format("{}: cannot create the database file", url));
    ::close(fd);
  }
  auto remove_temp = [&] {
    if (!fresh) return;
    for (const std::string& f : DatabaseFiles(path)) std::filesystem::remove(f, ec);
  };
  Result<ImportOutcome> outcome = Status::Internal("not run");
  {
    auto store = OpenDatabase(path, WorkspaceMode::kWrite, OpenOptions{.write_wait_ms = options.write_wait_ms});
    if (!store.ok()) {
      remove_temp();
      return fresh ? store.status().WithContext(url) : store.status();  // else it names `url` already
    }
    outcome = Import(**store, std::move(inputs), options);
  }  // closed: a new file is complete on disk before it is linked into place
  if (fresh && outcome.ok() && outcome->written && ::link(path.c_str(), url.c_str()) != 0) {
    remove_temp();
    return Status::Environment(
        fmt::format("{}: the database was created by another process meanwhile; nothing was written", url));
  }
  remove_temp();
  // The store's messages name the file it wrote: `url`, or for a new one the temporary name.
  if (!outcome.ok()) return fresh ? outcome.status().WithContext(RedactedUrl(url)) : outcome.status();
  return outcome;
}

Result<std::unique_ptr<Workspace>> Workspace::Open(const std::string& url, WorkspaceMode mode) {
  CS_ASSIGN_OR_RETURN(auto store, OpenDatabase(url, mode));
  // url_ names the database in messages: never with its password.
  return std::unique_ptr<Workspace>(new Workspace(RedactedUrl(url), std::move(store)));
}

Result<std::shared_ptr<const Dataset>> Workspace::Data() {
  CS_ASSIGN_OR_RETURN(int64_t generation, store_->Generation());
  if (data_ == nullptr || generation != data_generation_) {
    CS_ASSIGN_OR_RETURN(data_, LoadDataset(*store_));
    data_generation_ = generation;
  }
  last_loaded_ = data_;
  return data_;
}

Result<std::shared_ptr<const Dataset>> Workspace::DataFor(const DataScope& scope, const SitesRead& on_sites) {
  CS_ASSIGN_OR_RETURN(int64_t generation, store_->Generation());
  if (policy_ == LoadPolicy::kWhole || (data_ != nullptr && generation == data_generation_)) return Data();
  std::string key = fmt::format("{}-{}{}", scope.first_year, scope.last_year, scope.sites ? "+sites" : "");
  for (const auto* list : {&scope.clusters, &scope.zones}) {
    std::vector<std::string> ids = *list;
    std::sort(ids.begin(), ids.end());
    key += fmt::format("|{}", fmt::join(ids, ","));
  }
  std::erase_if(scoped_, [&](const ScopedData& d) { return d.generation != generation; });
  for (const ScopedData& d : scoped_) {
    if (d.key == key) return d.data;
  }
  CS_ASSIGN_OR_RETURN(auto data, LoadDataset(*store_, scope, on_sites));
  if (data == nullptr) return Data();  // the store keeps no totals: the whole data set answers
  constexpr size_t kKept = 4;
  if (scoped_.size() == kKept) scoped_.erase(scoped_.begin());
  scoped_.push_back({std::move(key), generation, data});
  last_loaded_ = data;
  return data;
}

Result<std::vector<int>> Workspace::ReportYears() {
  if (data_ != nullptr) {
    CS_ASSIGN_OR_RETURN(int64_t generation, store_->Generation());
    if (generation == data_generation_) return clusterscope::ReportYears(*data_);
  }
  return store_->ReportYears();
}

std::vector<std::string> Workspace::Warnings(Lang lang) {
  if (last_loaded_ == nullptr) return streamed_warnings_[lang == Lang::kZh ? 0 : 1];
  return DatasetWarnings(*last_loaded_, lang);
}

namespace {
// Growth indicators switched to their comparable-basis twins (`only` empty: the whole catalogue).
std::vector<std::string> ComparableTwins(std::vector<std::string> only) {
  if (only.empty()) {
    for (const auto& i : IndicatorCatalogue()) only.emplace_back(i.id);
  }
  std::vector<std::string> swapped;
  for (const std::string& id : only) {
    if (FindIndicator(id + "_comparable") != nullptr) {
      swapped.push_back(id + "_comparable");
    } else if (!id.ends_with("_comparable") || FindIndicator(id.substr(0, id.size() - 11)) == nullptr) {
      swapped.push_back(id);
    }
  }
  return swapped;
}
}  // namespace

Result<std::vector<IndicatorValue>> Workspace::IndicatorsByYear(const std::vector<EntityKind>& every,
                                                                IndicatorRequest req) {
  const int first = req.first_year;
  const int last = req.last_year;
  std::vector<std::vector<IndicatorValue>> by_year(static_cast<size_t>(last - first + 1));
  bool expanded = false;
  CS_RETURN_IF_ERROR(ForEachYearWindow(*store_, first, last, [&](const Dataset& window, int year) -> Status {
    if (!expanded) {  // the register is the same in every window
      for (EntityKind kind : every) {
        auto all = AllEntities(window, kind);
        req.entities.insert(req.entities.end(), all.begin(), all.end());
      }
      if (req.entities.empty()) req.entities.push_back({EntityKind::kCountry, ""});
      expanded = true;
    }
    IndicatorRequest one = req;
    one.first_year = one.last_year = year;
    CS_ASSIGN_OR_RETURN(by_year[static_cast<size_t>(year - first)], ComputeIndicators(window, one));
    streamed_warnings_ = {DatasetWarnings(window, Lang::kZh), DatasetWarnings(window, Lang::kEn)};
    return Status::Ok();
  }));
  // ComputeIndicators' order, entity × year × indicator: each year's answer is its entities'
  // blocks in request order, every block the same indicators.
  const size_t entities = req.entities.size();
  std::vector<IndicatorValue> out;
  for (size_t e = 0; e < entities; ++e) {
    for (auto& values : by_year) {
      const size_t block = values.size() / entities;
      auto from = values.begin() + static_cast<std::ptrdiff_t>(e * block);
      out.insert(out.end(), std::make_move_iterator(from),
                 std::make_move_iterator(from + static_cast<std::ptrdiff_t>(block)));
    }
  }
  last_loaded_ = nullptr;  // Warnings() reports how the years were read: streamed_warnings_
  return out;
}

Result<std::vector<IndicatorValue>> Workspace::Indicators(const IndicatorQuery& query) {
  IndicatorRequest req;
  req.lq_measure = query.lq_measure;
  req.entities = query.entities;
  if (query.years) {
    std::tie(req.first_year, req.last_year) = *query.years;
  } else if (query.year) {
    req.first_year = req.last_year = *query.year;
  } else {
    CS_ASSIGN_OR_RETURN(const std::vector<int> have, ReportYears());
    if (have.empty()) return Status::NotFound(url_ + " holds no reports; import some first").WithId("data.no_reports");
    req.first_year = req.last_year = have.back();
  }
  // Named clusters and zones only: a scoped load answers (the whole catalogue for one cluster
  // without reading every report); anything about regions or the country reads everything.
  DataScope scope{.first_year = req.first_year - kLookbackYears, .last_year = req.last_year};
  bool scoped = query.every.empty() && !req.entities.empty();
  for (const EntityRef& e : req.entities) {
    if (e.kind == EntityKind::kCluster) {
      scope.clusters.push_back(e.id);
    } else if (e.kind == EntityKind::kZone) {
      scope.zones.push_back(e.id);
    } else {
      scoped = false;
    }
  }
  req.only = query.only;
  if (query.comparable) req.only = ComparableTwins(req.only);
  std::shared_ptr<const Dataset> data;
  if (scoped) {
    CS_ASSIGN_OR_RETURN(data, DataFor(scope));
  } else if (policy_ == LoadPolicy::kAsNeeded && data_ == nullptr) {
    // One question about regions or the country (every firm) in a process that holds nothing:
    // a year at a time, so memory holds a few years' reports, not all of them.
    return IndicatorsByYear(query.every, std::move(req));
  } else {
    CS_ASSIGN_OR_RETURN(data, Data());
  }
  for (EntityKind kind : query.every) {
    auto all = AllEntities(*data, kind);
    req.entities.insert(req.entities.end(), all.begin(), all.end());
  }
  if (req.entities.empty()) req.entities.push_back({EntityKind::kCountry, ""});
  return ComputeIndicators(*data, req);
}

Result<std::vector<Record>> Workspace::List(Kind kind, const ListFilter& filter) {
  return ListRecords(*store_, kind, filter);
}

// ---------------------------------------------------------------- answers

Answer IndicatorsAnswer(const std::vector<IndicatorValue>& values, Lang lang) {
  Answer a;
  a.header = {std::string(Pick(lang, "主体", "entity")), std::string(Pick(lang, "年份", "year")),
              std::string(Pick(lang, "指标", "indicator")), std::string(Pick(lang, "数值", "value")),
              std::string(Pick(lang, "说明", "note"))};
  a.csv_header = {"entity", "id", "name", "year", "indicator", "value", "unit", "coverage", "reason"};
  a.json = nlohmann::ordered_json::array();
  a.json_one_row_per_line = true;
  for (const auto& v : values) {
    auto j = IndicatorValueToJson(v);
    std::string note;
    if (v.has_value() && v.coverage < 1.0) {
      note = fmt::format(fmt::runtime(lang == Lang::kZh ? "覆盖率{:.0f}%" : "coverage {:.0f}%"), v.coverage * 100);
    }
    const std::string entity =
        v.entity.kind == EntityKind::kCountry ? std::string(Pick(lang, "全国", "China")) : v.entity_name;
    a.rows.push_back({entity, std::to_string(v.year),
                      std::string(lang == Lang::kZh ? v.indicator->zh : v.indicator->en), FormatIndicatorValue(v, lang),
                      note});
    a.csv_rows.push_back({j["entity"], j["id"], j["name"], std::to_string(v.year), j["indicator"],
                          j["value"].is_null() ? "" : j["value"].dump(), j["unit"], fmt::format("{:.4f}", v.coverage),
                          std::string(NullReasonId(v.reason))});
    a.json.push_back(std::move(j));
  }
  return a;
}

Answer CatalogueAnswer(Lang lang) {
  Answer a;
  a.header = {"id", std::string(Pick(lang, "指标", "indicator")), std::string(Pick(lang, "单位", "unit")),
              std::string(Pick(lang, "公式", "formula"))};
  a.csv_header = {"id", "zh", "en", "unit", "group", "formula"};
  a.json = nlohmann::ordered_json::array();
  for (const auto& i : IndicatorCatalogue()) {
    a.rows.push_back({std::string(i.id), std::string(lang == Lang::kZh ? i.zh : i.en), std::string(UnitId(i.unit)),
                      std::string(i.formula)});
    a.csv_rows.push_back({std::string(i.id), std::string(i.zh), std::string(i.en), std::string(UnitId(i.unit)),
                          std::string(i.group), std::string(i.formula)});
    a.json.push_back({{"id", i.id},
                      {"zh", i.zh},
                      {"en", i.en},
                      {"unit", UnitId(i.unit)},
                      {"group", i.group},
                      {"definition_zh", i.definition_zh},
                      {"definition_en", i.definition_en},
                      {"formula", i.formula},
                      {"clusters_only", i.clusters_only}});
  }
  return a;
}

Answer RecordsAnswer(Kind kind, const std::vector<Record>& records, Lang lang) {
  const KindDef& def = Describe(kind);
  Answer a;
  a.json = nlohmann::ordered_json::array();
  a.json_one_row_per_line = true;
  // CSV: input columns only, money in yuan with the unit in the header, so the output imports back.
  for (const auto& c : def.columns) {
    if (!c.from_input) continue;
    a.header.push_back(ColumnHeader(c, CellStyle::kHuman, lang));
    a.csv_header.push_back(ColumnHeader(c, CellStyle::kMachine, lang));
  }
  for (const Record& r : records) {
    std::vector<std::string> human;
    std::vector<std::string> machine;
    for (size_t i = 0; i < def.columns.size(); ++i) {
      if (!def.columns[i].from_input) continue;
      human.push_back(FormatCell(def.columns[i], r[i], CellStyle::kHuman, lang));
      machine.push_back(FormatCell(def.columns[i], r[i], CellStyle::kMachine, lang));
    }
    a.rows.push_back(std::move(human));
    a.csv_rows.push_back(std::move(machine));
    a.json.push_back(RecordToJson(def, r));
  }
  a.footer = fmt::format(fmt::runtime(lang == Lang::kZh ? "共{}条" : "{} rows"), records.size());
  return a;
}

}  // namespace clusterscope
