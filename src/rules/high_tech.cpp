// High-tech enterprise criteria: rules.md §3 (high-tech-2016: 认定管理办法 国科发火〔2016〕32号,
// 工作指引 国科发火〔2016〕195号) and §3b (high-tech-2008: 国科发火〔2008〕172号, 工作指引〔2008〕362号:
// no registration criterion, tech staff ≥ 30% and R&D staff ≥ 10%, R&D tiers 6% / 4% / 3% with 50
// million in the 4% tier, no incident criterion). Statistics cannot show the technology field or
// most of the innovation score, so a firm that fails nothing is reported `undetermined` and marked
// a candidate.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "clusterscope/rules.h"
#include "rules/exact.h"

namespace clusterscope {
namespace {

using rules::Percent;
using rules::RatioAtLeast;

constexpr int64_t kFen50m = int64_t{50'000'000} * 100;
constexpr int64_t kFen200m = int64_t{200'000'000} * 100;
constexpr int kInnovationBar = 70;  // the score must be above 70
// The innovation score items statistics cannot see: the rest of the IP block (advancement 8, core
// support 8, acquisition 6), transfer of results 30, R&D management 20.
constexpr int kUnseenPoints = 8 + 8 + 6 + 30 + 20;

Reason R(std::string zh, std::string en) { return Reason{std::move(zh), std::move(en)}; }

double Ratio(int64_t a, int64_t b) { return static_cast<double>(a) / static_cast<double>(b); }

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Criterion 1: registered at least 365 days before the end of `year`.
Criterion Registered(const FirmHistory& f, int year) {
  Criterion c{.id = "registered_one_year", .threshold = 365};
  int fy = 0;
  int fm = 0;
  int fd = 0;
  const int parts = std::sscanf(f.founded.c_str(), "%d-%d-%d", &fy, &fm, &fd);
  const int64_t year_end = DaysFromCivil(year, 12, 31);
  if (parts == 3) {
    const int64_t days = year_end - DaysFromCivil(fy, fm, fd);
    c.value = static_cast<double>(days);
    c.result = days >= 365 ? Outcome::kQualifies : Outcome::kFails;
    if (c.result == Outcome::kFails) c.distance = static_cast<double>(365 - days);
    c.text = R(fmt::format("成立于{}，至{}年末{}天（须≥365天）", f.founded, year, days),
               fmt::format("founded {}: {} days before the end of {} (365 needed)", f.founded, days, year));
  } else if (parts == 1) {
    // Only the year: a firm founded in year − 1 or earlier is at least 365 days old at the end of
    // `year`; one founded in `year` passes only if founded on 1 January of a leap year.
    if (fy <= year - 1) {
      c.result = Outcome::kQualifies;
    } else if (fy == year && IsLeap(year)) {
      c.result = Outcome::kUndetermined;
    } else {
      c.result = Outcome::kFails;
    }
    c.text = R(fmt::format("成立于{}年（仅有年份）", fy), fmt::format("founded in {} (year only)", fy));
  } else {
    c.text = R("未登记成立日期", "founding date not on record");
  }
  return c;
}

// Criterion 2: IP that supports the main products (proxy: class I + class II > 0).
Criterion CoreIp(const YearFacts* y) {
  Criterion c{.id = "core_ip", .threshold = 1};
  const auto c1 = y != nullptr ? y->ip_class1 : std::nullopt;
  const auto c2 = y != nullptr ? y->ip_class2 : std::nullopt;
  if (c1.value_or(0) + c2.value_or(0) > 0) {
    c.result = Outcome::kQualifies;
    c.value = static_cast<double>(c1.value_or(0) + c2.value_or(0));
  } else if (c1 && c2) {
    c.result = Outcome::kFails;
    c.value = 0;
    c.distance = 1;
  }
  c.text = c.result == Outcome::kUndetermined
               ? R("未报知识产权数量", "IP counts not reported")
               : R(fmt::format("拥有I类、II类知识产权{}项", c1.value_or(0) + c2.value_or(0)),
                   fmt::format("{} class I and II IP rights", c1.value_or(0) + c2.value_or(0)));
  return c;
}

// A ratio criterion "a / b ≥ pct%" on one year's figures.
Criterion RatioCriterion(std::string id, std::optional<int64_t> a, std::optional<int64_t> b, int64_t pct,
                         std::string_view zh, std::string_view en) {
  Criterion c{.id = std::move(id), .threshold = static_cast<double>(pct) / 100};
  if (!a || !b) {
    c.text = R(fmt::format("{}：数据未报", zh), fmt::format("{}: not reported", en));
  } else if (*b == 0) {
    c.text = R(fmt::format("{}：分母为0", zh), fmt::format("{}: the denominator is zero", en));
  } else {
    c.value = Ratio(*a, *b);
    c.result = RatioAtLeast(*a, *b, pct) ? Outcome::kQualifies : Outcome::kFails;
    if (c.result == Outcome::kFails) c.distance = *c.threshold - *c.value;
    const std::string shown = rules::PercentBelow(*c.value, *c.threshold);
    c.text = R(fmt::format("{}{}（须≥{}%）", zh, shown, pct), fmt::format("{} {} ({}% needed)", en, shown, pct));
  }
  return c;
}

// Criterion 5: three-year R&D / revenue by the latest year's revenue tier, and the domestic share.
void RdCriteria(const FirmHistory& f, int year, bool rules2008, std::vector<Criterion>& out) {
  int64_t rd = 0;
  int64_t revenue = 0;
  int64_t domestic = 0;
  int years = 0;
  bool missing = false;
  bool domestic_missing = false;
  for (int y = year - 2; y <= year; ++y) {
    const YearFacts* facts = f.At(y);
    if (facts == nullptr) continue;
    ++years;
    if (!facts->rd_expense || !facts->revenue) missing = true;
    if (!facts->rd_expense_domestic) domestic_missing = true;
    rd += facts->rd_expense.value_or(0);
    revenue += facts->revenue.value_or(0);
    domestic += facts->rd_expense_domestic.value_or(0);
  }
  const YearFacts* latest = f.At(year);
  Criterion ratio{.id = "rd_ratio_3y"};
  if (years == 0 || missing || latest == nullptr || !latest->revenue) {
    ratio.text =
        R("近三年研发费用或销售收入未报全", "R&D expense or revenue of the last three years not fully reported");
  } else {
    // 2016 (§3 criterion 5): ≤ 50 million: 5%; 50–200 million (200 inclusive): 4%; above: 3%.
    // 2008 (§3b criterion 5): < 50 million: 6%; 50–200 million (both inclusive): 4%; above: 3%.
    const int64_t rev = *latest->revenue;
    int64_t pct = 3;
    std::string tier_zh = ">2亿元";
    std::string tier_en = "> 200 million yuan";
    if (rules2008 && rev < kFen50m) {
      pct = 6;
      tier_zh = "<5000万元";
      tier_en = "< 50 million yuan";
    } else if (!rules2008 && rev <= kFen50m) {
      pct = 5;
      tier_zh = "≤5000万元";
      tier_en = "≤ 50 million yuan";
    } else if (rev <= kFen200m) {
      pct = 4;
      tier_zh = rules2008 ? "5000万–2亿元（含5000万）" : "5000万–2亿元";
      tier_en = rules2008 ? "50–200 million yuan, 50 million included" : "50–200 million yuan";
    }
    ratio.threshold = static_cast<double>(pct) / 100;
    const std::string span_zh = years < 3 ? fmt::format("（仅有{}年数据，按已有年份计）", years) : "";
    const std::string span_en =
        years < 3 ? fmt::format(" ({} year{} of reports: the years there are)", years, years == 1 ? "" : "s") : "";
    if (revenue == 0) {
      ratio.text = R("近三年销售收入为0", "no revenue in the last three years");
    } else {
      ratio.value = Ratio(rd, revenue);
      ratio.result = RatioAtLeast(rd, revenue, pct) ? Outcome::kQualifies : Outcome::kFails;
      if (ratio.result == Outcome::kFails) ratio.distance = *ratio.threshold - *ratio.value;
      const std::string shown = rules::PercentBelow(*ratio.value, *ratio.threshold);
      ratio.text =
          R(fmt::format("近三年研发费用占销售收入{}{}（最近一年收入{}，须≥{}%）", shown, span_zh, tier_zh, pct),
            fmt::format("R&D / revenue over the last three years {}{} (latest revenue {}: {}% needed)", shown, span_en,
                        tier_en, pct));
    }
  }
  out.push_back(std::move(ratio));

  Criterion dom{.id = "domestic_rd_share", .threshold = 0.6};
  if (years == 0 || missing || domestic_missing) {
    dom.text = R("境内研发费用未报全", "domestic R&D expense not fully reported");
  } else if (rd == 0) {
    dom.text = R("近三年无研发费用", "no R&D expense in the last three years");
  } else {
    dom.value = Ratio(domestic, rd);
    dom.result = RatioAtLeast(domestic, rd, 60) ? Outcome::kQualifies : Outcome::kFails;
    if (dom.result == Outcome::kFails) dom.distance = 0.6 - *dom.value;
    const std::string shown = rules::PercentBelow(*dom.value, 0.6);
    dom.text = R(fmt::format("境内研发费用占全部研发费用{}（须≥60%）", shown),
                 fmt::format("domestic R&D {} of all R&D (60% needed)", shown));
  }
  out.push_back(std::move(dom));
}

// The growth block's band for one measure, from its values in year − 2, year − 1 and year.
// `had_report[i]` tells a missing report (the firm is younger, fewer years are used) from a
// missing value (the rate is unknown).
struct GrowthInput {
  std::optional<int64_t> value[3];
  bool had_report[3] = {false, false, false};
};

Band TierBand(const std::function<bool(int64_t pct)>& at_least, bool positive) {
  if (at_least(35)) return {9, 10};
  if (at_least(25)) return {7, 8};
  if (at_least(15)) return {5, 6};
  if (at_least(5)) return {3, 4};
  if (positive) return {1, 2};
  return {0, 0};
}

struct GrowthResult {
  Band band{0, 10};
  std::optional<double> rate;
  Reason text;
};

GrowthResult Growth(const GrowthInput& in, std::string_view zh, std::string_view en) {
  GrowthResult g;
  const auto& v = in.value;
  if (!v[2] || !in.had_report[1] || !v[1] || (in.had_report[0] && !v[0])) {
    g.text = R(fmt::format("{}：数据不全，0–10分未定", zh), fmt::format("{}: figures incomplete, 0–10 points", en));
    return g;
  }
  const rules::Wide y2 = *v[1];
  const rules::Wide y3 = *v[2];
  if (y2 <= 0) {
    g.band = {0, 0};
    g.text =
        R(fmt::format("{}：第二年数值为0，得0分", zh), fmt::format("{}: the second year's value is 0: 0 points", en));
    return g;
  }
  const bool three = in.had_report[0] && *v[0] > 0;
  if (three) {
    const rules::Wide y1 = *v[0];
    // ½(y2/y1 + y3/y2) − 1 ≥ k/100  ⇔  50(y2² + y1·y3) ≥ (100 + k)·y1·y2, with y1, y2 > 0.
    const rules::Wide lhs = 50 * (y2 * y2 + y1 * y3);
    g.band = TierBand([&](int64_t k) { return lhs >= (100 + k) * y1 * y2; }, lhs > 100 * y1 * y2);
    g.rate = 0.5 * (static_cast<double>(*v[1]) / static_cast<double>(*v[0]) +
                    static_cast<double>(*v[2]) / static_cast<double>(*v[1])) -
             1;
  } else {
    // Year 1 is 0 (or the firm has only two years): y3 / y2 − 1.
    g.band = TierBand([&](int64_t k) { return 100 * y3 >= (100 + k) * y2; }, y3 > y2);
    g.rate = static_cast<double>(*v[2]) / static_cast<double>(*v[1]) - 1;
  }
  const std::string how_zh = three ? "" : (in.had_report[0] ? "（第一年为0，按后两年）" : "（不足三年，按两年）");
  const std::string how_en =
      three ? "" : (in.had_report[0] ? " (first year 0: last two years)" : " (under three years: two years)");
  g.text = R(fmt::format("{}{}{}，得{}分", zh, Percent(*g.rate), how_zh, BandText(g.band)),
             fmt::format("{} {}{}: {} points", en, Percent(*g.rate), how_en, BandText(g.band)));
  return g;
}

// The IP-quantity item of the innovation score (工作指引: I类 ≥1: 7–8; II类 ≥5: 5–6; 3–4: 3–4;
// 1–2: 1–2; none: 0).
Band IpQuantity(const YearFacts* y) {
  if (y == nullptr) return {0, 8};
  if (y->ip_class1 && *y->ip_class1 >= 1) return {7, 8};
  if (!y->ip_class1 || !y->ip_class2) {
    const int64_t c2 = y->ip_class2.value_or(0);
    const Band low = c2 >= 5 ? Band{5, 6} : c2 >= 3 ? Band{3, 4} : c2 >= 1 ? Band{1, 2} : Band{0, 0};
    return {low.min, y->ip_class1 ? (y->ip_class2 ? low.max : 6) : 8};
  }
  const int64_t c2 = *y->ip_class2;
  return c2 >= 5 ? Band{5, 6} : c2 >= 3 ? Band{3, 4} : c2 >= 1 ? Band{1, 2} : Band{0, 0};
}

}  // namespace

Outcome InnovationScoreOutcome(const Band& score) {
  if (score.min > kInnovationBar) return Outcome::kQualifies;
  if (score.max <= kInnovationBar) return Outcome::kFails;
  return Outcome::kUndetermined;
}

Qualification EvaluateHighTech(const FirmHistory& f, int year, std::string_view rule_set) {
  Qualification q;
  q.uscc = f.uscc;
  q.name = f.name;
  q.year = year;
  const RuleSet* rs = rules::ChooseRuleSet(RuleKind::kHighTech, year, rule_set, q);
  if (rs == nullptr) return q;
  const bool rules2008 = rs->id == kHighTech2008;
  const YearFacts* y = f.At(year);

  // Criterion 1: the 2016 rules' one year of registration; the 2008 rules have none.
  if (!rules2008) q.criteria.push_back(Registered(f, year));
  q.criteria.push_back(CoreIp(y));
  q.criteria.push_back({.id = "high_tech_field",
                        .text = R("技术领域是否属于《国家重点支持的高新技术领域》无法由统计数据判断",
                                  "whether the technology is in the state-supported high-tech fields cannot be "
                                  "told from statistics")});
  if (rules2008) {
    // §3b criterion 4: staff with a college degree or more ≥ 30% (proxy tech_staff), R&D staff ≥ 10%.
    q.criteria.push_back(RatioCriterion("tech_staff_share", y ? y->tech_staff : std::nullopt,
                                        y ? y->employees : std::nullopt, 30, "大专以上科技人员占职工总数",
                                        "college-educated tech staff / employees"));
    q.criteria.push_back(RatioCriterion("rd_staff_share", y ? y->rd_staff : std::nullopt,
                                        y ? y->employees : std::nullopt, 10, "研发人员占职工总数",
                                        "R&D staff / employees"));
  } else {
    q.criteria.push_back(RatioCriterion("tech_staff_share", y ? y->tech_staff : std::nullopt,
                                        y ? y->employees : std::nullopt, 10, "科技人员占职工总数",
                                        "tech staff / employees"));
  }
  RdCriteria(f, year, rules2008, q.criteria);
  q.criteria.push_back(RatioCriterion("high_tech_revenue_share", y ? y->high_tech_revenue : std::nullopt,
                                      y ? y->revenue : std::nullopt, 60, "高新技术产品（服务）收入占总收入",
                                      "high-tech revenue / total revenue"));

  // Criterion 7: the growth block exactly (as bands), the IP quantity as a band, the rest unknown.
  GrowthInput net;
  GrowthInput sales;
  for (int i = 0; i < 3; ++i) {
    const YearFacts* facts = f.At(year - 2 + i);
    net.had_report[i] = sales.had_report[i] = facts != nullptr;
    if (facts == nullptr) continue;
    if (facts->total_assets && facts->total_liabilities)
      net.value[i] = *facts->total_assets - *facts->total_liabilities;
    sales.value[i] = facts->revenue;
  }
  const GrowthResult g_net = Growth(net, "净资产增长率", "net-asset growth");
  const GrowthResult g_sales = Growth(sales, "销售收入增长率", "sales growth");
  const Band ipq = IpQuantity(y);
  q.scores = {{"net_asset_growth", g_net.band}, {"sales_growth", g_sales.band}, {"ip_quantity", ipq}};
  q.score = {g_net.band.min + g_sales.band.min + ipq.min, g_net.band.max + g_sales.band.max + ipq.max + kUnseenPoints};
  Criterion innov{.id = "innovation_score", .threshold = kInnovationBar, .band = q.score};
  innov.result = InnovationScoreOutcome(q.score);
  innov.text =
      R(fmt::format("创新能力评价{}分（成长性{}+{}，知识产权数量{}，其余{}分须专家评定；须高于70分）",
                    BandText(q.score), BandText(g_net.band), BandText(g_sales.band), BandText(ipq), kUnseenPoints),
        fmt::format("innovation score {} (growth {} + {}, IP quantity {}, {} points only experts can "
                    "award; above 70 needed)",
                    BandText(q.score), BandText(g_net.band), BandText(g_sales.band), BandText(ipq), kUnseenPoints));
  q.criteria.push_back(std::move(innov));

  Criterion incident{.id = "no_major_incident"};
  if (rules2008) {
    incident.result = Outcome::kNotApplicable;
    incident.text = R("2008年认定办法无重大事故条件：不适用", "the 2008 rules have no incident criterion: not applied");
  } else if (y == nullptr || !y->major_incident) {
    incident.text =
        R(fmt::format("{}年重大事故情况未报", year), fmt::format("major incidents in {} not reported", year));
  } else {
    incident.result = *y->major_incident ? Outcome::kFails : Outcome::kQualifies;
    incident.text = *y->major_incident
                        ? R(fmt::format("{}年发生重大安全、质量或环境事故", year),
                            fmt::format("a major safety, quality or environmental incident in {}", year))
                        : R(fmt::format("{}年无重大事故", year), fmt::format("no major incident in {}", year));
  }
  q.criteria.push_back(std::move(incident));

  // The report cells whose absence leaves a criterion statistics could check undetermined.
  const auto cell = [&](int yr, std::string_view column) {
    q.missing_cells.push_back(fmt::format("{}:{}", yr, column));
  };
  for (const Criterion& c : q.criteria) {
    if (c.result != Outcome::kUndetermined || c.id == "high_tech_field" || c.id == "innovation_score") continue;
    if (c.id == "registered_one_year") {
      q.missing_cells.push_back("firm:founded");
      continue;
    }
    if (y == nullptr) {
      cell(year, "report");
      continue;
    }
    const auto need = [&](const YearFacts& facts, const std::optional<int64_t>& v, std::string_view column) {
      if (!v) cell(facts.year, column);
    };
    if (c.id == "core_ip") {
      need(*y, y->ip_class1, "ip_class1");
      need(*y, y->ip_class2, "ip_class2");
    } else if (c.id == "tech_staff_share" || c.id == "rd_staff_share") {
      need(*y, c.id == "tech_staff_share" ? y->tech_staff : y->rd_staff,
           c.id == "tech_staff_share" ? "tech_staff" : "rd_staff");
      need(*y, y->employees, "employees");
    } else if (c.id == "rd_ratio_3y" || c.id == "domestic_rd_share") {
      for (int yr = year - 2; yr <= year; ++yr) {
        const YearFacts* facts = f.At(yr);
        if (facts == nullptr) continue;
        need(*facts, facts->rd_expense, "rd_expense");
        need(*facts, facts->revenue, "revenue");
        if (c.id == "domestic_rd_share") need(*facts, facts->rd_expense_domestic, "rd_expense_domestic");
      }
    } else if (c.id == "high_tech_revenue_share") {
      need(*y, y->high_tech_revenue, "high_tech_revenue");
      need(*y, y->revenue, "revenue");
    } else if (c.id == "no_major_incident") {
      cell(year, "major_incident");
    }
  }
  std::sort(q.missing_cells.begin(), q.missing_cells.end());
  q.missing_cells.erase(std::unique(q.missing_cells.begin(), q.missing_cells.end()), q.missing_cells.end());

  int fails = 0;
  int figure_fails = 0;
  bool only_expert_unknowns = true;
  for (const Criterion& c : q.criteria) {
    if (c.result == Outcome::kFails) {
      ++fails;
      if (c.distance) ++figure_fails;
    }
    if (c.result == Outcome::kUndetermined && c.id != "high_tech_field" && c.id != "innovation_score") {
      only_expert_unknowns = false;
    }
    if (c.result != Outcome::kQualifies && c.result != Outcome::kNotApplicable) q.reasons.push_back(c.text);
  }
  q.reasons.push_back(g_net.text);
  q.reasons.push_back(g_sales.text);
  if (f.CertificateValidIn(year)) {
    q.reasons.push_back(
        R(fmt::format("持有{}年认定的高新技术企业证书，{}年有效", *f.high_tech_cert_year, year),
          fmt::format("holds a high-tech certificate awarded in {}, valid in {}", *f.high_tech_cert_year, year)));
  }
  q.result = fails > 0 ? Outcome::kFails : Outcome::kUndetermined;
  for (const Criterion& c : q.criteria) {
    if (c.result == Outcome::kFails) {
      q.verdict = c.text;
      break;
    }
  }
  if (fails == 0) {
    q.verdict = only_expert_unknowns
                    ? R("统计数据可核的条件均通过；技术领域和创新能力评价须专家认定",
                        "passes every criterion statistics can check; the technology field and the innovation "
                        "score need the experts")
                    : R("部分条件因数据未报而待定", "some criteria are undetermined because figures were not reported");
  }
  q.candidate = fails == 0 && only_expert_unknowns;
  if (fails > 0) q.missing_cells.clear();
  q.nearly = fails == 1 && figure_fails == 1;
  return q;
}

}  // namespace clusterscope
