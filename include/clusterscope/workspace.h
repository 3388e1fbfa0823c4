// The front door to the core: one object, opened once on a database URL, that owns the store and
// the data loaded from it and answers each use case. The CLI and the server are thin shells over
// it — parse a request, make one call, render the Answer — so nothing a user can ask for is
// implemented in tools/ or the server (issue 11). Every use case is here: init, import, list,
// indicators, and — in the marked sections below — qualify, evaluate, diagnose, brief, export,
// specialisation, agglomeration and demo, each reading the loaded data set, never the store.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "clusterscope/answer.h"
#include "clusterscope/briefing.h"
#include "clusterscope/demo.h"
#include "clusterscope/diagnosis.h"
#include "clusterscope/evaluation.h"
#include "clusterscope/exports.h"
#include "clusterscope/importer.h"
#include "clusterscope/indicators.h"
#include "clusterscope/lang.h"
#include "clusterscope/place.h"
#include "clusterscope/registry.h"
#include "clusterscope/rules.h"
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

// ================================================================ use cases: requests and results
// (issue 11, the analysis half). Each request says what a user may ask, with its defaults applied
// by the workspace, never by a front end: a year left out is the latest year with reports
// (kNotFound data.no_reports when there are none). `lang` in a request is the language of the
// error messages and notes only; results are rendered in any language by their XxxAnswer.

// `qualify tech-sme|high-tech`: the firms asked for, every member firm of a cluster in the year,
// or (neither) every firm that filed a report for the year.
struct QualifyQuery {
  RuleKind kind = RuleKind::kTechSme;
  std::string rule_set;  // "" = the one in force for the year; another of the kind = a what-if
  std::optional<int> year;
  std::vector<std::string> firms;  // credit codes
  std::string cluster;             // or every member of this cluster in the year
  Lang lang = Lang::kEn;
};
struct QualifyResult {
  RuleKind kind = RuleKind::kTechSme;
  int year = 0;
  std::string rule_set;  // the one applied
  bool what_if = false;
  std::vector<Qualification> firms;
  // What the user should know beside the results (a what-if, a cluster without members), in the
  // request's language; the CLI prints them on stderr.
  std::vector<std::string> notes;
};

// `evaluate`: every cluster rated and ranked under a scheme (a shipped id or a .toml file).
struct EvaluateQuery {
  std::string scheme;
  std::optional<int> year;
  Lang lang = Lang::kEn;
};
struct EvaluateResult {
  Scheme scheme;
  EvaluationResult result;
};

// `diagnose`: one cluster's talent, financing, innovation, backbone firms, pipeline, coordination.
struct DiagnoseQuery {
  std::string cluster;
  std::optional<int> year;
  std::vector<std::string> rule_sets;  // what-if rule sets for the pipeline (at most one per kind)
  Lang lang = Lang::kEn;
};

// `brief`: one cluster's briefing, or a survey of several clusters or of a region's clusters.
struct BriefQuery {
  std::vector<std::string> clusters;  // one = a cluster brief; more = a survey in that order
  std::string region;                 // or: the region's recognised clusters (RegionSurvey)
  std::optional<int> year;
  bool charts = false;    // gather the charts too (for BriefHtmlFile / BriefDocxFile)
  bool workbook = false;  // a workbook will be asked for: one cluster only, refused up front otherwise
};
struct BriefResult {
  bool survey = false;
  SurveyScope scope;
  std::vector<BriefSources> sources;    // per cluster: facts, evaluation, diagnosis
  std::vector<BriefFacts> facts;        // the same facts, as the prose and the documents take them
  std::vector<BriefCharts> charts;      // when asked for
  std::shared_ptr<const Dataset> data;  // what the workbook's indicator sheet reads
};

// `specialisation`: one index over the region × industry matrix of a year (place.h).
struct SpecialisationQuery {
  place::AreaIndex index = place::AreaIndex::kLq;
  std::optional<int> year;
  place::Measure measure = place::Measure::kEmployees;
  place::RegionLevel region_level = place::RegionLevel::kProvince;
  place::IndustryLevel industry_level = place::IndustryLevel::kDivision;
  std::vector<std::string> industries;  // GB/T 4754 codes to report; empty = all
  bool group = false;                   // coagglomeration: the industries as one set
};
struct SpecialisationResult {
  SpecialisationQuery query;  // with the year filled in
  place::AreaMatrix matrix;
  std::vector<place::AreaValue> values;
};

// `agglomeration kd|m`: the firms of an industry that filed in a year (from the database), or the
// points of a CSV (no database needed).
struct AgglomerationQuery {
  place::Function function = place::Function::kKd;
  std::string industry, versus;  // GB/T 4754 codes, or point types with `points`
  std::optional<int> year;       // with `industry`
  std::string points, type;      // a points CSV and the type of interest
  bool weighted = false;
  bool reflect = true;
  std::vector<double> r;  // empty = the default distances
  int sims = 0;
  uint64_t seed = 1;
  double level = 0.05;
  int threads = 0;
};
// The points and the engine's options: what RunAgglomeration (or a split run across processes)
// takes.
struct AgglomerationSetup {
  place::PointSet points;
  place::AgglomerationOptions options;
};
// kUsage for a query that names both or neither of an industry and a points file, or points
// without a type: checked before anything is opened.
Status CheckAgglomeration(const AgglomerationQuery& query);
// An agglomeration over a points CSV: no database involved. CheckAgglomeration's kUsage, or
// kNotFound for a type the file lacks.
Result<AgglomerationSetup> AgglomerationFromPoints(const AgglomerationQuery& query);

// The store under the workspace's version policy (what Workspace::Open does). Every command now
// goes through the workspace; this stays for tools that need a store itself (bench/, tests).
// `write` is how a kWrite store is opened (its wait for another writer's lock).
Result<std::unique_ptr<Store>> OpenDatabase(const std::string& url, WorkspaceMode mode, const OpenOptions& write = {});

// `clusterscope init`: creates the database at `url` or upgrades it in place, with the built-in
// reference data (InitDatabase). Returns the schema versions before and after (0 before = created).
Result<std::pair<int, int>> InitDatabaseAt(const std::string& url);

// Imports `inputs` into the database at `url` (importer.h's contract: all or nothing). A database
// that does not exist yet is built under a temporary name beside it and linked into place only
// when the import commits, so a dry run or a refused import leaves no file behind; kEnvironment
// if another process created the file meanwhile (nothing is written then).
Result<ImportOutcome> ImportIntoDatabase(const std::string& url, std::vector<ImportInput> inputs,
                                         const ImportOptions& options);

// `clusterscope demo`: builds the demo database at `url` (demo.h's BuildDemo: created or
// initialised, refused when it holds other data unless options.force) and its seven figures.
Result<DemoResult> BuildDemoAt(const std::string& url, const DemoOptions& options);

class Workspace {
 public:
  // Opens the database at `url` (a SQLite file path or a postgresql://… URL).
  // kEnvironment naming the file when it cannot be opened, is missing (kRead), or has another
  // schema version (ids db.missing, db.older_schema, db.newer_schema).
  static Result<std::unique_ptr<Workspace>> Open(const std::string& url, WorkspaceMode mode);

  // The database as messages name it: RedactedUrl (store.h) of the URL it was opened on.
  const std::string& url() const { return url_; }
  Store& store() { return *store_; }

  // The data set, loaded on first use and again whenever the store's generation has moved on
  // since (another process imported), so a long-lived workspace (the server) never answers from
  // stale data and never reloads for nothing.
  Result<std::shared_ptr<const Dataset>> Data();
  // Data enough to answer about `scope` (indicators.h, DataScope): the whole data set when it is
  // loaded and current, or when the store keeps no totals; else a scoped load, kept (and
  // reused for the same scope) while the generation holds. `on_sites` goes to the scoped load
  // (LoadDataset, indicators.h): not called when the data come from memory or the whole data set
  // answers.
  Result<std::shared_ptr<const Dataset>> DataFor(const DataScope& scope, const SitesRead& on_sites = {});
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

  // ---------------------------------------------------------------- use cases (src/workspace/use_cases.cpp)
  // Each reads the data set once (Data()) and nothing else from the store; evaluate and
  // diagnose read every cluster's members for the year and its look-back instead (DataFor, with
  // the store's years and cluster ids), or the whole data set when the scope cannot answer.

  // The firms' qualification under the rule set in force for the year, or the one asked for.
  // kUsage for a rule set of another kind; kNotFound for an unknown firm or cluster.
  Result<QualifyResult> Qualify(const QualifyQuery& query);
  // kNotFound for a year without reports; a scheme's own errors as LoadScheme gives them.
  Result<EvaluateResult> Evaluate(const EvaluateQuery& query);
  // kUsage for an unknown rule set; Diagnose's errors (kNotFound cluster.unknown, kInvalidInput).
  Result<Diagnosis> Diagnose(const DiagnoseQuery& query);
  // kUsage for neither or both of clusters and region, or a workbook for a survey.
  Result<BriefResult> Brief(const BriefQuery& query);
  // The workbook of `request` (exports.h), written to `path` (a file the caller renames into
  // place: OutputFile::temp_path()).
  Status Export(const ExportRequest& request, Lang lang, const std::string& path);
  Result<SpecialisationResult> Specialisation(const SpecialisationQuery& query);
  // The points and options of `query` (from the data set, or AgglomerationFromPoints) …
  Result<AgglomerationSetup> PrepareAgglomeration(const AgglomerationQuery& query);
  // … and the curve with its bands.
  Result<place::AgglomerationResult> Agglomeration(const AgglomerationQuery& query);

  // ---- reads for the server (issue 12): what `serve` asks besides the use cases above, so that
  // it never holds the store itself (src/workspace/server_reads.cpp).
  // The store's generation (store.h): it moves with every committed write, by any process.
  Result<int64_t> Generation();
  // One stored record of `kind` by its key columns (a zone, cluster, firm or region), or nullopt.
  Result<std::optional<Record>> Find(Kind kind, const std::vector<Value>& key);
  // One firm's annual reports, in key order (year).
  Result<std::vector<Record>> FirmReports(const std::string& uscc);
  // Every membership record (cluster_id, uscc, from_year, to_year), in key order.
  Result<std::vector<Record>> Memberships();
  // Answers from `data`, which another workspace over the same database loaded at `generation`,
  // until the store moves past that generation (then Data() reloads as ever): the server's
  // request threads share one immutable data set instead of loading one each. Switches the load
  // policy to kWhole (a shared data set answers every question).
  void ShareData(std::shared_ptr<const Dataset> data, int64_t generation);
  // ----

 private:
  Workspace(std::string url, std::unique_ptr<Store> store) : url_(std::move(url)), store_(std::move(store)) {}
  // Indicators() about every firm in a process that holds no data set: ForEachYearWindow.
  Result<std::vector<IndicatorValue>> IndicatorsByYear(const std::vector<EntityKind>& every, IndicatorRequest req);
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
  std::vector<ScopedData> scoped_;                             // the last few scoped loads, newest last
  std::shared_ptr<const Dataset> last_loaded_;                 // what the last answer came from (Warnings)
  std::array<std::vector<std::string>, 2> streamed_warnings_;  // zh, en: of the last IndicatorsByYear
};

// Each result as an Answer (table / JSON / CSV), in `lang`: the documented shapes of cli.md.
Answer IndicatorsAnswer(const std::vector<IndicatorValue>& values, Lang lang);
Answer CatalogueAnswer(Lang lang);
Answer RecordsAnswer(Kind kind, const std::vector<Record>& records, Lang lang);

// ---------------------------------------------------------------- use-case answers (src/workspace/answers_*.cpp)
// The documented shapes of cli.md, each result's table, JSON and CSV built in one place.
Answer QualifyAnswer(const QualifyResult& result, Lang lang);
Answer EvaluateAnswer(const EvaluateResult& result, Lang lang);
// The shipped schemes (evaluate --list-schemes).
Result<Answer> SchemesAnswer(Lang lang);
Answer DiagnosisAnswer(const Diagnosis& diagnosis, Lang lang);
// The prose (Answer::text) and the facts as JSON.
Answer BriefAnswer(const BriefResult& result, Lang lang);
BriefDocument BriefDocumentOf(const BriefResult& result, Lang lang);
// The brief as a self-contained HTML page and as a Word document (needs BriefQuery::charts).
std::string BriefHtmlFile(const BriefResult& result, Lang lang);
Result<std::string> BriefDocxFile(const BriefResult& result, Lang lang);
// The one cluster's workbook (exports.h WriteBriefWorkbook), written to `path`.
Status BriefWorkbookFile(const BriefResult& result, Lang lang, const std::string& path);
Answer SpecialisationAnswer(const SpecialisationResult& result, Lang lang);
Answer AgglomerationAnswer(const place::AgglomerationResult& result, Lang lang);
// The index values as an Excel workbook (one sheet, 专业化指数 / specialisation): the CSV's
// columns under headers in `lang`, values as numbers (missing ones empty, with the reason), written
// to `path` (a file the caller renames into place: OutputFile::temp_path()).
Status WriteSpecialisationWorkbook(const SpecialisationResult& result, Lang lang, const std::string& path);
// The demo's seven figures against the report (`url`: the database it was built in).
Answer DemoAnswer(const DemoResult& result, const std::string& url, Lang lang);

}  // namespace clusterscope
