#include "clusterscope/demo.h"

#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "clusterscope/synth.h"

namespace clusterscope {
namespace {

// The report's figures, as printed, and how a computed value is judged against them.
struct ReportFigure {
  std::string_view indicator;
  std::string_view zh;
  std::string_view en;
  enum class Rule { kExactCount, kShareTo01, kOutputTo01Yi, kAbove } rule;
  double value;  // the count, the fraction, the yuan, or the bound
};
constexpr ReportFigure kReport[] = {
    {"firm_count", "60家", "60 firms", ReportFigure::Rule::kExactCount, 60},
    {"zone_producing_firm_share", "62.5%", "62.5%", ReportFigure::Rule::kShareTo01, 0.625},
    {"gross_output", "122亿元", "12.2 billion yuan", ReportFigure::Rule::kOutputTo01Yi, 122e8},
    {"gross_output_growth", "30.7%", "30.7%", ReportFigure::Rule::kShareTo01, 0.307},
    {"zone_gross_output_share", "58.6%", "58.6%", ReportFigure::Rule::kShareTo01, 0.586},
    {"leading_industry_va_share", "超过60%", "over 60%", ReportFigure::Rule::kAbove, 0.60},
    {"firms_output_over_100m", "23家", "23 firms", ReportFigure::Rule::kExactCount, 23},
};

bool Matches(const ReportFigure& f, const IndicatorValue& v) {
  auto x = v.AsDouble();
  if (!x) return false;
  switch (f.rule) {
    case ReportFigure::Rule::kExactCount:
      return v.integer && *v.integer == static_cast<int64_t>(f.value);
    case ReportFigure::Rule::kShareTo01:
      return std::round(*x * 1000) == std::round(f.value * 1000);  // same at one decimal of a percent
    case ReportFigure::Rule::kOutputTo01Yi:
      return std::round(*x / 1e7) == std::round(f.value / 1e7);  // same to 0.1亿元
    case ReportFigure::Rule::kAbove:
      return *x > f.value;
  }
  return false;
}

// A private temporary directory, removed on destruction.
class TempDir {
 public:
  static Result<std::unique_ptr<TempDir>> Make() {
    std::error_code ec;
    std::string pattern = (std::filesystem::temp_directory_path(ec) / "clusterscope-demo-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
      return Status::Environment("cannot create a temporary directory for the demo");
    return std::unique_ptr<TempDir>(new TempDir(pattern));
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

Result<std::vector<DemoFigure>> ComputeFigures(Store& store) {
  CS_ASSIGN_OR_RETURN(auto data, LoadDataset(store));
  IndicatorRequest req;
  req.entities = {{EntityKind::kCluster, std::string(kDemoCluster)}};
  req.first_year = req.last_year = kDemoYear;
  for (const ReportFigure& f : kReport) req.only.emplace_back(f.indicator);
  CS_ASSIGN_OR_RETURN(auto values, ComputeIndicators(*data, req));
  std::vector<DemoFigure> out;
  for (size_t i = 0; i < std::size(kReport); ++i) {
    out.push_back({kReport[i].indicator, kReport[i].zh, kReport[i].en, values[i], Matches(kReport[i], values[i])});
  }
  return out;
}

}  // namespace

Result<DemoResult> BuildDemo(Store& store, const DemoOptions& options) {
  CS_RETURN_IF_ERROR(InitDatabase(store));
  CS_ASSIGN_OR_RETURN(auto dir, TempDir::Make());
  SynthOptions synth;  // the defaults are the demo's: 2010–2016, calibrated
  synth.firms = options.firms;
  if (options.progress) {
    synth.progress = [&](int64_t done, int64_t total) { options.progress("generate", done, total); };
  }
  CS_ASSIGN_OR_RETURN(SynthSummary summary, GenerateDataset(dir->path(), synth));
  std::vector<ImportInput> inputs;
  for (const std::string& path : summary.files) {
    auto kind = ParseKind(std::filesystem::path(path).stem().string());
    if (!kind) return Status::Internal("generated demo file with no kind: " + path);
    inputs.push_back(ImportInput{*kind, path, ""});
  }

  // "Other data": stored records (beyond reference tables) that the demo does not hold itself.
  int64_t stored = 0;
  for (Kind kind : kAllKinds) {
    if (kind == Kind::kRegions || kind == Kind::kIndustries) continue;
    CS_ASSIGN_OR_RETURN(int64_t n, store.Count(kind));
    stored += n;
  }
  DemoResult result;
  ImportOptions import_options;
  if (options.progress) {
    import_options.progress = [&](const ImportInput& in, uint64_t done, uint64_t total) {
      options.progress(KindId(in.kind), static_cast<int64_t>(done), static_cast<int64_t>(total));
    };
  }
  if (stored > 0) {
    ImportOptions check = import_options;
    check.dry_run = true;
    CS_ASSIGN_OR_RETURN(ImportOutcome trial, Import(store, inputs, check));
    int64_t demo_already = 0;
    int64_t demo_new = 0;
    for (const FileOutcome& f : trial.files) {
      demo_already += f.unchanged;
      demo_new += f.added + f.replaced;
    }
    if (stored > demo_already && !options.force) {
      return Status::Conflict(store.Location() + " holds " + std::to_string(stored - demo_already) +
                              " records that are not demo data; use another --db, or --force to add the demo to it");
    }
    result.already_built = demo_new == 0 && trial.errors() == 0;
  }
  if (!result.already_built) {
    import_options.replace = options.force;
    CS_ASSIGN_OR_RETURN(result.import, Import(store, inputs, import_options));
    if (result.import.errors() > 0) {
      const Problem& p = result.import.problems.front();
      return Status::Internal("the generated demo data did not import: " + p.file + " row " + std::to_string(p.row) +
                              ": " + p.rule + ": " + p.message_en);
    }
  }
  CS_ASSIGN_OR_RETURN(result.figures, ComputeFigures(store));
  return result;
}

}  // namespace clusterscope
