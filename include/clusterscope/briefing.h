// Survey briefings: a cluster's figures, rating, diagnosis, backbone firms and pipeline as formal
// prose in the style of the Torch Center's survey reports, in Chinese and in English.
//
// Two steps, so the prose can be tested on hand-made facts: GatherBriefFacts reads the numbers
// (indicator engine, diagnosis) into BriefFacts; BriefParagraphs writes sentences from them. A
// figure that is missing is left out of the prose, never printed as null.
#pragma once

#include <cstdint>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "clusterscope/diagnosis.h"
#include "clusterscope/evaluation.h"
#include "clusterscope/indicators.h"
#include "clusterscope/lang.h"
#include "clusterscope/place.h"
#include "clusterscope/status.h"

namespace clusterscope {

struct BriefFacts {
  std::string cluster_id;  // for programs; never printed in the prose or a title
  std::string cluster_name;
  std::string cluster_name_en;  // the register's English name, "" when it has none
  std::string zone_name;
  std::string zone_name_en;
  int year = 0;
  // The latest year with reports: the brief for it speaks of the present ("目前", "has"); any
  // earlier year is written in the past ("截至2012年底", "had"). 0 = unknown, taken as current.
  int latest_year = 0;

  // The report's figures.
  std::optional<int64_t> firm_count;
  std::optional<double> zone_producing_share;  // of the zone's producing firms
  std::optional<int64_t> gross_output;         // fen
  std::optional<double> gross_output_growth;
  std::optional<double> zone_output_share;
  std::optional<double> leading_va_share;
  std::optional<int64_t> firms_over_100m;

  // The rating (absent until a scheme has been run).
  struct Rating {
    std::string scheme;  // id, "annual"
    std::string scheme_zh, scheme_en;
    double score = 0;
    std::string grade;     // 优秀 / 良好 / 合格 / 不合格, or "" while there is no grade (no expert scores yet)
    std::string grade_en;  // the scheme's English grade, "" = derived from `grade`
    int rank = 0;
    int of = 0;
    bool expert_included = false;
  };
  std::optional<Rating> rating;
  // Why the scheme did not rate the cluster (no reporting firm, not yet recognised, …), when it
  // lists the cluster without a score; empty otherwise.
  std::string not_rated_zh, not_rated_en;

  // The diagnosis, in words.
  struct Indicator {
    std::string zh, en;
    std::string value_zh, value_en;  // formatted with its unit
    double percentile = 0;
    bool less_is_better = false;  // the registry's direction: a weak value is 偏高, not 偏低
  };
  struct Dimension {
    std::string id, zh, en;
    double percentile = 0;
    bool flagged = false;
    std::vector<Indicator> behind;  // the indicators holding it down, lowest first
  };
  std::vector<Dimension> dimensions;
  std::string weakest;  // a dimension id

  std::vector<std::string> backbone_names;     // in the diagnosis's order (at most three used)
  std::vector<std::string> backbone_names_en;  // parallel; "" where the register has no English name
  std::optional<double> top3_share;
  std::optional<double> largest_share;
  bool depends_on_one = false;

  bool sme_applicable = true;  // false before 2017: the tech-SME evaluation scheme did not exist yet
  int sme_qualifying = 0;
  int sme_nearly = 0;
  std::optional<std::string> nearly_name;  // one firm one tier short, and its step
  std::string nearly_name_en;
  std::string nearly_gap_zh, nearly_gap_en;
  int high_tech_candidates = 0;

  bool has_construction_body = false;
  bool has_alliance = false;
  int institutions = 0;

  // Whether the firms of the cluster's first leading industry are localised across the country:
  // Duranton–Overman Kd of that industry's firms among every firm with coordinates that filed for
  // the year, with a random-labelling global band (docs/briefing.md, "Localisation"). Absent when
  // the register names no leading industry (or the data set is scoped to a few clusters).
  struct Localisation {
    enum class Status {
      kTested,         // the verdict below
      kNoCoordinates,  // no firm that filed for the year has coordinates
      kTooFewFirms,    // fewer than kMinFirms firms of the industry have coordinates
    };
    static constexpr int64_t kMinFirms = 10;
    // At most this many of the industry's firms enter the test: a larger industry is tested on a
    // random sample of them (seeded by `seed`) among all the sites, which keeps a brief to about
    // a second (135,587 firms of one industry on the 1 M-firm panel would take hours).
    static constexpr int64_t kMaxTestedFirms = 5000;
    Status status = Status::kTested;
    std::string industry;       // the GB/T 4754 code as the register gives it (2–4 digits)
    std::string industry_name;  // its official Chinese name, "" when the built-in table lacks it
    int64_t firms = 0;          // firms of the industry with coordinates that filed for the year
    int64_t sites = 0;          // every firm with coordinates that filed for the year
    int64_t tested = 0;         // the industry's firms in the test: all, or a sample of kMaxTestedFirms
    place::Verdict verdict = place::Verdict::kNotTested;
    std::vector<place::Interval> localised_at, dispersed_at;  // km
    double r_max_km = 0;
    int sims = 0;
    uint64_t seed = 0;
    double level = 0.05;
    double bandwidth_km = 0;
  };
  std::optional<Localisation> localisation;
};

// Everything a briefing is made from, computed once and shared by the prose, the HTML and the
// workbook: the `annual` evaluation of every cluster, the cluster's diagnosis, and the facts.
struct BriefSources {
  BriefFacts facts;
  std::optional<EvaluationResult> evaluation;  // absent when the scheme could not run …
  std::string evaluation_error;                // … and why
  std::optional<Diagnosis> diagnosis;          // absent when the cluster has no members that year …
  std::string diagnosis_error;                 // … and why
  // The Kd behind facts.localisation, for its chart (when the status is kTested).
  std::optional<place::AgglomerationResult> localisation;
};

// The brief's Kd: r = 0 … 200 km in 1 km steps, 99 simulations, seed 1, the 5% global band
// (docs/briefing.md says why these).
place::AgglomerationOptions BriefLocalisationOptions();

// A localisation test's outcome: the facts and, when the industry was tested, the Kd behind them.
struct LocalisationTest {
  BriefFacts::Localisation facts;
  std::optional<place::AgglomerationResult> kd;
};
// The brief's localisation test of `industry` (a cluster's first leading industry) among the
// firms that filed in `year`: from the data set's sites when it holds that year's (DataScope::
// sites), else from its firms; nullopt when it cannot say (a scoped data set without them).
Result<std::optional<LocalisationTest>> TestLocalisation(const Dataset& data, const std::string& industry, int year);
// Tests of one year already run or running (on other threads), by industry.
using LocalisationTests = std::map<std::string, std::shared_future<Result<std::optional<LocalisationTest>>>>;
// Starts on other threads the test of each named cluster's leading industry (each industry once,
// those not in `tests` yet) among the sites `data` holds for `year`. Each test keeps its own copy
// of the sites: `data` may change or go once this returns (as in a SitesRead call).
void StartLocalisationTests(const Dataset& data, const std::vector<std::string>& cluster_ids, int year,
                            LocalisationTests& tests);

// From the data set alone. kNotFound (cluster.unknown) for an unknown cluster. A test of the
// cluster's leading industry in `tests` (of the same year, and the same sites) is taken instead
// of running it again.
Result<BriefSources> GatherBrief(const Dataset& data, const std::string& cluster_id, int year,
                                 const LocalisationTests* tests = nullptr);
// The facts alone (GatherBrief(…).facts).
Result<BriefFacts> GatherBriefFacts(const Dataset& data, const std::string& cluster_id, int year);

// The briefing as paragraphs: figures, rating (when present), diagnosis, backbone firms and
// pipeline, recommendations. Number style: 亿元 with at most one decimal and no trailing .0
// (122亿元, 12.2亿元), % to one decimal, counts as integers (English: billion yuan, million below
// a billion). Positions in plain words (处于全部集群中上水平（前39%）).
std::vector<std::string> BriefParagraphs(const BriefFacts& facts, Lang lang);

// A briefing as a document: a title and sections (a section's heading may be empty), the shape
// the text output, the HTML page and the Word document are all written from.
struct BriefSection {
  std::string heading;
  std::vector<std::string> paragraphs;
  int cluster = -1;  // the cluster (index into the facts) whose figures and charts go with it, or -1
};
struct BriefDocument {
  std::string title;
  std::vector<BriefSection> sections;
};

// "青藏高原特色生物资源与中藏药产业集群2014年情况简报" / "The … Cluster: briefing for 2014".
std::string BriefTitle(const BriefFacts& facts, Lang lang);
// One cluster: the title and one section (no heading) with BriefParagraphs.
BriefDocument BriefDocumentFor(const BriefFacts& facts, Lang lang);

// A survey of several clusters, as the source report is: an opening on the visit's scope, one
// section per cluster in the order given (figures, rating, diagnosis, backbone firms, pipeline),
// the common problems, and numbered recommendations (一是…二是…) drawn from the data.
struct SurveyScope {
  std::string region_zh, region_en;  // "青海省" / "Qinghai" for `brief --region`; "" when clusters were named
  int year = 0;
  std::vector<std::string> left_out_zh, left_out_en;  // clusters in the region not covered (not yet recognised)
};
BriefDocument SurveyBrief(const std::vector<BriefFacts>& clusters, const SurveyScope& scope, Lang lang);
// The clusters of a region — a GB/T 2260 code or its leading digits ("63", "6301", "630100") —
// recognised by `year`, in the order of their zones' region codes, then ids; those not yet
// recognised are named in the scope's left_out. kNotFound when the region has no cluster.
Result<std::pair<std::vector<std::string>, SurveyScope>> RegionSurvey(const Dataset& data, const std::string& code,
                                                                      int year);
nlohmann::ordered_json SurveyToJson(const std::vector<BriefFacts>& clusters, const SurveyScope& scope);
Result<std::pair<std::vector<BriefFacts>, SurveyScope>> SurveyFromJson(const nlohmann::json& j);

// What the HTML and workbook show beside the prose: output over the years, the cluster against
// all clusters on key ratios, its evaluation dimensions, and the whole catalogue for the year.
struct BriefCharts {
  struct YearOutput {
    int year = 0;
    std::optional<double> gross_output;  // yuan
    std::optional<double> growth;
  };
  int year = 0;                    // the brief's year, highlighted in the output chart
  std::vector<YearOutput> output;  // every year with output among the years with reports, before and after `year`
  struct PeerRatio {
    std::string id, zh, en, unit;   // unit as UnitId: share, per10k, yuan_per_person
    std::optional<double> cluster;  // the cluster's value
    std::optional<double> median;   // the median over every cluster with a value (R type 7)
    int clusters = 0;
  };
  std::vector<PeerRatio> peers;
  struct Dimension {
    std::string zh, en;
    std::optional<double> score;    // 0–100, the annual scheme
    std::optional<double> average;  // over the ranked clusters
  };
  std::vector<Dimension> dimensions;
  std::vector<IndicatorValue> catalogue;  // every indicator for the cluster in the year
  // The leading industry's Kd against its global band, km (absent unless it was tested).
  struct Localisation {
    std::string industry;  // GB/T 4754 code
    std::vector<double> r, kd, global_lo, global_hi;
    int sims = 0;
  };
  std::optional<Localisation> localisation;
};

Result<BriefCharts> GatherBriefCharts(const Dataset& data, const BriefSources& sources);

// One self-contained HTML file (no network needed): title, prose, charts as inline SVG, the
// indicator table; A4 print styles; CJK fonts named for Chinese text.
std::string BriefHtml(const BriefFacts& facts, const BriefCharts& charts, Lang lang);
// The same for a document of several clusters: each cluster's section followed by its charts
// and figure table (facts[i], charts[i]).
std::string BriefHtml(const BriefDocument& doc, const std::vector<BriefFacts>& facts,
                      const std::vector<BriefCharts>& charts, Lang lang);

// A Word document (OOXML written directly; A4): the title, headings, the prose, each cluster's
// figure table and its charts as PNG images (cairo + pango, a CJK font), as the file's bytes (the
// CLI writes them with an OutputFile; the server sends them for `format=docx`).
Result<std::string> BriefDocx(const BriefDocument& doc, const std::vector<BriefFacts>& facts,
                              const std::vector<BriefCharts>& charts, Lang lang);

// Facts ↔ JSON, for golden tests and `brief --format json`.
nlohmann::ordered_json BriefFactsToJson(const BriefFacts& facts);
Result<BriefFacts> BriefFactsFromJson(const nlohmann::json& j);

}  // namespace clusterscope
