// The front door to the core: one object, opened once on a database URL, that owns the store and
// the data loaded from it and answers each use case. The CLI and the server are thin shells over
// it — parse a request, make one call, render the Answer — so nothing a user can ask for is
// implemented in tools/ or the server. (Issue 11; the use cases move here one by one: init,
// list and indicators so far, import, qualify, evaluate, diagnose, brief, export and place next.)
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "clusterscope/answer.h"
#include "clusterscope/importer.h"
#include "clusterscope/indicators.h"
#include "clusterscope/lang.h"
#include "clusterscope/registry.h"
#include "clusterscope/status.h"
#include "clusterscope/store.h"

namespace clusterscope {

enum class WorkspaceMode {
  kRead,   // every query: the database must exist at this build's schema version; opened read-only
  kWrite,  // import, init: created when missing; an older schema is upgraded only by Init()
};

struct IndicatorQuery {
  std::vector<EntityRef> entities;  // named clusters, zones, regions
  std::vector<EntityKind> every;    // every cluster / zone / province, after those named
  std::optional<int> year;          // one year; neither this nor `years`: the latest with reports
  std::optional<std::pair<int, int>> years;
  std::vector<std::string> only;         // indicator ids; empty = the whole catalogue
  bool comparable = false;               // growth on a comparable basis (the _comparable twins)
  std::string lq_measure = "employees";  // location quotients: employees | gross_output | value_added
};

// The store under the workspace's version policy (what Workspace::Open does), for the commands
// not yet moved behind the workspace.
Result<std::unique_ptr<Store>> OpenDatabase(const std::string& url, WorkspaceMode mode);

// `clusterscope init`: creates the database at `url` or upgrades it in place, with the built-in
// reference data (InitDatabase). Returns the schema versions before and after (0 before = created).
Result<std::pair<int, int>> InitDatabaseAt(const std::string& url);

// Imports `inputs` into the database at `url` (importer.h's contract: all or nothing). A database
// that does not exist yet is built under a temporary name beside it and linked into place only
// when the import commits, so a dry run or a refused import leaves no file behind; kEnvironment
// if another process created the file meanwhile (nothing is written then).
Result<ImportOutcome> ImportIntoDatabase(const std::string& url, std::vector<ImportInput> inputs,
                                         const ImportOptions& options);

class Workspace {
 public:
  // Opens the database at `url` (a SQLite file path; postgresql://… is refused for now).
  // kEnvironment naming the file when it cannot be opened, is missing (kRead), or has another
  // schema version (ids db.missing, db.older_schema, db.newer_schema).
  static Result<std::unique_ptr<Workspace>> Open(const std::string& url, WorkspaceMode mode);

  const std::string& url() const { return url_; }
  Store& store() { return *store_; }

  // The data set, loaded on first use and again whenever the store's generation has moved on
  // since (another process imported), so a long-lived workspace (the server) never answers from
  // stale data and never reloads for nothing.
  Result<std::shared_ptr<const Dataset>> Data();
  // Data enough to answer about `scope` (indicators.h, DataScope): the whole data set when it is
  // loaded and current, or when the store keeps no totals; else a scoped load, kept (and
  // reused for the same scope) while the generation holds.
  Result<std::shared_ptr<const Dataset>> DataFor(const DataScope& scope);
  // kAsNeeded (the default, for one question per process: the CLI): questions about named
  // clusters and zones load only those (DataFor). kWhole (a server answering many questions):
  // everything is loaded once and answers every question.
  enum class LoadPolicy { kAsNeeded, kWhole };
  void set_load_policy(LoadPolicy policy) { policy_ = policy; }
  // The years with reports, ascending (from the store: nothing is loaded).
  Result<std::vector<int>> ReportYears();
  // What the user should know about how the data were read (DatasetWarnings), in `lang`.
  std::vector<std::string> Warnings(Lang lang);

  // The values for every requested entity × year × indicator (indicators.h), with the request's
  // defaults applied here: the country when no entity is named, the latest year with reports when
  // no year is (kNotFound when there are none), the comparable twins of growth indicators.
  Result<std::vector<IndicatorValue>> Indicators(const IndicatorQuery& query);
  // Zones, clusters or firms, filtered (registry.h).
  Result<std::vector<Record>> List(Kind kind, const ListFilter& filter);

 private:
  Workspace(std::string url, std::unique_ptr<Store> store) : url_(std::move(url)), store_(std::move(store)) {}
  std::string url_;
  std::unique_ptr<Store> store_;
  std::shared_ptr<const Dataset> data_;
  int64_t data_generation_ = -1;
  LoadPolicy policy_ = LoadPolicy::kAsNeeded;
  struct ScopedData {
    std::string key;
    int64_t generation = -1;
    std::shared_ptr<const Dataset> data;
  };
  std::vector<ScopedData> scoped_;              // the last few scoped loads, newest last
  std::shared_ptr<const Dataset> last_loaded_;  // what the last answer came from (Warnings)
};

// Each result as an Answer (table / JSON / CSV), in `lang`: the documented shapes of cli.md.
Answer IndicatorsAnswer(const std::vector<IndicatorValue>& values, Lang lang);
Answer CatalogueAnswer(Lang lang);
Answer RecordsAnswer(Kind kind, const std::vector<Record>& records, Lang lang);

}  // namespace clusterscope
