// Technology-based SME evaluation, rules.md §2 (国科发政〔2017〕115号, 国科火字〔2022〕67号).
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "clusterscope/rules.h"
#include "rules/exact.h"

namespace clusterscope {
namespace {

using rules::PercentBelow;
using rules::RatioAtLeast;
using rules::Tier;
using rules::TierPoints;

constexpr std::array<Tier, 5> kTechStaff{{{30, 20}, {25, 16}, {20, 12}, {15, 8}, {10, 4}}};
constexpr std::array<Tier, 5> kRdRevenue{{{6, 50}, {5, 40}, {4, 30}, {3, 20}, {2, 10}}};
constexpr std::array<Tier, 5> kRdCost{{{30, 50}, {25, 40}, {20, 30}, {15, 20}, {10, 10}}};
constexpr int kTechMax = 20;
constexpr int kRdMax = 50;
constexpr int kIpMax = 30;
constexpr int kPass = kTechSmePassMark;
constexpr int64_t kMaxEmployees = 500;
constexpr int64_t kMaxMoneyFen = int64_t{200'000'000} * 100;  // 200 million yuan

// IP points (max 30): ≥1 class I: 30; class II 4+: 24, 3: 18, 2: 12, 1: 6; none: 0.
int IpPoints(int64_t class1, int64_t class2) {
  if (class1 >= 1) return 30;
  return static_cast<int>(std::min<int64_t>(class2, 4)) * 6;
}

double Ratio(int64_t a, int64_t b) { return static_cast<double>(a) / static_cast<double>(b); }

Reason R(std::string zh, std::string en) { return Reason{std::move(zh), std::move(en)}; }

// The lowest tier above `current` points: the next step a firm can take.
const Tier* NextTier(std::span<const Tier> tiers, int current) {
  for (auto it = tiers.rbegin(); it != tiers.rend(); ++it) {
    if (it->points > current) return &*it;
  }
  return nullptr;
}

// Conditions 1–4 together: the worst outcome so far and the first reason for it.
struct Condition {
  Outcome outcome = Outcome::kQualifies;
  std::optional<Reason> first_fail;
  std::optional<Reason> first_unknown;
  std::vector<Reason>* reasons = nullptr;
  std::vector<std::string>* missing = nullptr;

  void Cell(int year, std::string_view column) const {
    if (missing != nullptr) missing->push_back(fmt::format("{}:{}", year, column));
  }
  void Fail(Reason r) {
    outcome = Outcome::kFails;
    if (!first_fail) first_fail = r;
    reasons->push_back(std::move(r));
  }
  void Unknown(Reason r) {
    if (outcome != Outcome::kFails) outcome = Outcome::kUndetermined;
    if (!first_unknown) first_unknown = r;
    reasons->push_back(std::move(r));
  }
};

// Condition 2: employees ≤ 500, revenue ≤ 200 million yuan, total assets ≤ 200 million yuan.
void CheckSize(const YearFacts& y, Condition& c) {
  if (!y.employees) {
    c.Cell(y.year, "employees");
    c.Unknown(R("未报从业人员，无法判断是否≤500人", "employees not reported: cannot tell whether ≤ 500"));
  } else if (*y.employees > kMaxEmployees) {
    c.Fail(R(fmt::format("从业人员{}人，超过500人", *y.employees),
             fmt::format("{} employees, more than 500", *y.employees)));
  }
  const auto money = [&](const std::optional<int64_t>& v, std::string_view column, std::string_view zh,
                         std::string_view en) {
    if (!v) {
      c.Cell(y.year, column);
      c.Unknown(R(fmt::format("未报{}，无法判断是否≤2亿元", zh),
                  fmt::format("{} not reported: cannot tell whether ≤ 200 million yuan", en)));
    } else if (*v > kMaxMoneyFen) {
      c.Fail(R(fmt::format("{}{}，超过2亿元", zh, rules::Wan(*v)),
               fmt::format("{} {}, more than 200 million yuan", en, rules::MillionYuan(*v))));
    }
  };
  money(y.revenue, "revenue", "年销售收入", "annual sales revenue");
  money(y.total_assets, "total_assets", "资产总额", "total assets");
}

// Condition 4: no major incident in `year` or the year before.
void CheckIncidents(const FirmHistory& f, int year, Condition& c, std::vector<Reason>& reasons) {
  for (int y : {year - 1, year}) {
    const YearFacts* facts = f.At(y);
    if (facts == nullptr) {
      reasons.push_back(R(fmt::format("无{}年报告：重大事故条件仅按{}年判断", y, year),
                          fmt::format("no report for {}: the incident condition is checked on {} only", y, year)));
      continue;
    }
    if (!facts->major_incident) {
      c.Cell(y, "major_incident");
      c.Unknown(R(fmt::format("{}年未报重大安全质量环境事故情况", y),
                  fmt::format("major safety, quality or environmental incident not reported for {}", y)));
    } else if (*facts->major_incident) {
      c.Fail(R(fmt::format("{}年发生重大安全、质量或环境事故", y),
               fmt::format("a major safety, quality or environmental incident in {}", y)));
    }
  }
}

struct Scores {
  Band tech, rd, ip;
  std::optional<int> rd_revenue, rd_cost;  // points of each R&D ratio, where computable
  Band total() const { return {tech.min + rd.min + ip.min, tech.max + rd.max + ip.max}; }
};

// The three scores; `reasons` (when not null) gets a sentence for each band left open.
Scores Score(const YearFacts& y, std::vector<Reason>* reasons, std::vector<std::string>* missing = nullptr) {
  Scores s;
  const auto cell = [&](bool absent, std::string_view column) {
    if (absent && missing != nullptr) missing->push_back(fmt::format("{}:{}", y.year, column));
  };
  // Technology staff / employees.
  if (y.employees && y.tech_staff) {
    const int p = *y.employees > 0 ? TierPoints(kTechStaff, *y.tech_staff, *y.employees) : 0;
    s.tech = {p, p};
    if (*y.employees == 0 && reasons != nullptr)
      reasons->push_back(R("从业人员为0：科技人员指标得0分", "no employees: tech staff scores 0"));
  } else {
    s.tech = {0, kTechMax};
    cell(!y.employees, "employees");
    cell(!y.tech_staff, "tech_staff");
    if (reasons != nullptr)
      reasons->push_back(R("未报科技人员或从业人员：科技人员指标得分0–20分未定",
                           "tech staff or employees not reported: tech staff score between 0 and 20"));
  }
  // R&D: the higher of R&D / revenue and R&D / total costs.
  if (!y.rd_expense) {
    s.rd = {0, kRdMax};
    cell(true, "rd_expense");
    if (reasons != nullptr)
      reasons->push_back(
          R("未报研发费用：研发指标得分0–50分未定", "R&D expense not reported: R&D score between 0 and 50"));
  } else {
    bool open = false;  // a ratio whose denominator was not reported could still score higher
    if (y.revenue && *y.revenue > 0) {
      s.rd_revenue = TierPoints(kRdRevenue, *y.rd_expense, *y.revenue);
    } else if (!y.revenue) {
      open = true;
    }
    if (y.total_cost && *y.total_cost > 0) {
      s.rd_cost = TierPoints(kRdCost, *y.rd_expense, *y.total_cost);
    } else if (!y.total_cost) {
      open = true;
    }
    const int best = std::max(s.rd_revenue.value_or(0), s.rd_cost.value_or(0));
    s.rd = {best, open ? kRdMax : best};
    if (open && best < kRdMax) {
      cell(!y.revenue, "revenue");
      cell(!y.total_cost, "total_cost");
      if (reasons != nullptr)
        reasons->push_back(R(fmt::format("销售收入或成本费用总额未报：研发指标得分{}–50分未定", best),
                             fmt::format("revenue or total costs not reported: R&D score between {} and 50", best)));
    }
  }
  // Intellectual property.
  if (y.ip_class1 && *y.ip_class1 >= 1) {
    s.ip = {kIpMax, kIpMax};
  } else if (y.ip_class1 && y.ip_class2) {
    const int p = IpPoints(0, *y.ip_class2);
    s.ip = {p, p};
  } else {
    const int low = y.ip_class2 ? IpPoints(0, *y.ip_class2) : 0;
    const int high = y.ip_class1 ? IpPoints(0, 4) : kIpMax;  // class I known 0: class II can give 24 at most
    s.ip = {low, std::max(low, high)};
    cell(!y.ip_class1, "ip_class1");
    cell(!y.ip_class2, "ip_class2");
    if (reasons != nullptr)
      reasons->push_back(
          R(fmt::format("知识产权数量未报全：知识产权指标得分{}–{}分未定", s.ip.min, s.ip.max),
            fmt::format("IP counts not fully reported: IP score between {} and {}", s.ip.min, s.ip.max)));
  }
  return s;
}

void AddGaps(const YearFacts& y, const Scores& s, std::vector<Gap>& gaps) {
  if (s.tech.known() && y.employees && *y.employees > 0 && y.tech_staff) {
    if (const Tier* t = NextTier(kTechStaff, s.tech.min)) {
      const double v = Ratio(*y.tech_staff, *y.employees);
      const int gain = t->points - s.tech.min;
      const std::string shown = PercentBelow(v, static_cast<double>(t->pct) / 100);
      gaps.push_back({"tech_staff_share", v, static_cast<double>(t->pct) / 100, gain,
                      R(fmt::format("科技人员占比{}：达到{}%可加{}分", shown, t->pct, gain),
                        fmt::format("tech staff share {}: {}% gives +{} points", shown, t->pct, gain))});
    }
  }
  if (s.rd.known()) {
    if (s.rd_revenue) {
      if (const Tier* t = NextTier(kRdRevenue, s.rd.min)) {
        const double v = Ratio(*y.rd_expense, *y.revenue);
        const int gain = t->points - s.rd.min;
        const std::string shown = PercentBelow(v, static_cast<double>(t->pct) / 100);
        gaps.push_back({"rd_revenue_ratio", v, static_cast<double>(t->pct) / 100, gain,
                        R(fmt::format("研发费用占销售收入比重{}：达到{}%可加{}分", shown, t->pct, gain),
                          fmt::format("R&D / revenue {}: {}% gives +{} points", shown, t->pct, gain))});
      }
    }
    if (s.rd_cost) {
      if (const Tier* t = NextTier(kRdCost, s.rd.min)) {
        const double v = Ratio(*y.rd_expense, *y.total_cost);
        const int gain = t->points - s.rd.min;
        const std::string shown = PercentBelow(v, static_cast<double>(t->pct) / 100);
        gaps.push_back({"rd_cost_ratio", v, static_cast<double>(t->pct) / 100, gain,
                        R(fmt::format("研发费用占成本费用总额比重{}：达到{}%可加{}分", shown, t->pct, gain),
                          fmt::format("R&D / total costs {}: {}% gives +{} points", shown, t->pct, gain))});
      }
    }
  }
  if (s.ip.known() && s.ip.min < kIpMax && y.ip_class1 && y.ip_class2) {
    const int gain1 = kIpMax - s.ip.min;
    gaps.push_back({"ip_class1", static_cast<double>(*y.ip_class1), 1, gain1,
                    R(fmt::format("I类知识产权{}项：获得1项可加{}分", *y.ip_class1, gain1),
                      fmt::format("class I IP {}: one gives +{} points", *y.ip_class1, gain1))});
    if (*y.ip_class2 < 4) {
      const int64_t next = *y.ip_class2 + 1;
      const int gain2 = IpPoints(0, next) - s.ip.min;
      gaps.push_back({"ip_class2", static_cast<double>(*y.ip_class2), static_cast<double>(next), gain2,
                      R(fmt::format("II类知识产权{}项：达到{}项可加{}分", *y.ip_class2, next, gain2),
                        fmt::format("class II IP {}: {} gives +{} points", *y.ip_class2, next, gain2))});
    }
  }
}

// Conditions 2 and 4 without words.
Outcome QuickConditions(const YearFacts& y, const YearFacts* prev) {
  Outcome o = Outcome::kQualifies;
  const auto fail = [&] { o = Outcome::kFails; };
  const auto unknown = [&] {
    if (o != Outcome::kFails) o = Outcome::kUndetermined;
  };
  if (!y.employees) {
    unknown();
  } else if (*y.employees > kMaxEmployees) {
    fail();
  }
  for (const auto* v : {&y.revenue, &y.total_assets}) {
    if (!*v) {
      unknown();
    } else if (**v > kMaxMoneyFen) {
      fail();
    }
  }
  for (const YearFacts* facts : {prev, &y}) {
    if (facts == nullptr) continue;
    if (!facts->major_incident) {
      unknown();
    } else if (*facts->major_incident) {
      fail();
    }
  }
  return o;
}

}  // namespace

TechSmeOutcome AssessTechSme(const YearFacts& y, const YearFacts* prev, bool excluded_industry,
                             bool certificate_valid) {
  Outcome cond = QuickConditions(y, prev);
  if (excluded_industry) cond = Outcome::kFails;
  const Scores s = Score(y, nullptr);
  TechSmeOutcome out;
  out.score = s.total();
  Outcome by_score = Outcome::kUndetermined;
  if (out.score.min >= kPass && s.tech.min > 0) {
    by_score = Outcome::kQualifies;
  } else if (out.score.max < kPass || s.tech.max == 0) {
    by_score = Outcome::kFails;
  }
  const bool direct = certificate_valid || y.national_award_5y.value_or(false) ||
                      y.provincial_rd_institution.value_or(false) || y.standard_lead_5y.value_or(false);
  if (cond == Outcome::kFails) {
    out.result = Outcome::kFails;
  } else if (cond == Outcome::kQualifies) {
    out.result = direct ? Outcome::kQualifies : by_score;
  } else {
    out.result = by_score == Outcome::kFails && !direct ? Outcome::kFails : Outcome::kUndetermined;
  }
  return out;
}

Qualification EvaluateTechSme(const FirmHistory& f, int year, std::string_view rule_set) {
  Qualification q;
  q.uscc = f.uscc;
  q.name = f.name;
  q.year = year;
  if (rules::ChooseRuleSet(RuleKind::kTechSme, year, rule_set, q) == nullptr) return q;
  const YearFacts* y = f.At(year);
  if (y == nullptr) {
    q.result = Outcome::kUndetermined;
    q.score = {0, 100};
    q.reasons.push_back(R(fmt::format("无{}年报告", year), fmt::format("no report for {}", year)));
    q.verdict = q.reasons.back();
    return q;
  }

  // Conditions 1–4.
  Condition cond;
  cond.reasons = &q.reasons;
  cond.missing = &q.missing_cells;
  q.reasons.push_back(
      R("条件1（居民企业）：登记在册企业视为满足", "condition 1 (resident enterprise): assumed for a registered firm"));
  CheckSize(*y, cond);
  if (const ExcludedIndustry* ex = FindExcludedIndustry(f.industry_code)) {
    cond.Fail(R(fmt::format("行业{}属{}，不在评价范围", f.industry_code, ex->zh),
                fmt::format("industry {} is {}, which is excluded", f.industry_code, ex->en)));
  }
  CheckIncidents(f, year, cond, q.reasons);

  // Condition 5: the score.
  const Scores s = Score(*y, &q.reasons, &q.missing_cells);
  q.score = s.total();
  q.scores = {{"tech_staff", s.tech}, {"rd", s.rd}, {"ip", s.ip}};
  AddGaps(*y, s, q.gaps);

  Outcome by_score = Outcome::kUndetermined;
  if (q.score.min >= kPass && s.tech.min > 0) {
    by_score = Outcome::kQualifies;
  } else if (q.score.max < kPass || s.tech.max == 0) {
    by_score = Outcome::kFails;
  }
  const std::string score_text = BandText(q.score);

  // Direct qualification.
  std::vector<Reason> direct;
  if (f.CertificateValidIn(year)) {
    direct.push_back(
        R(fmt::format("直接认定：持有有效高新技术企业证书（{}年认定）", *f.high_tech_cert_year),
          fmt::format("direct: valid high-tech enterprise certificate (awarded {})", *f.high_tech_cert_year)));
  }
  if (y->national_award_5y.value_or(false)) {
    direct.push_back(R("直接认定：近五年获国家级科技奖励（前三名）",
                       "direct: national S&T award in the last five years among the top three units"));
  }
  if (y->provincial_rd_institution.value_or(false)) {
    direct.push_back(R("直接认定：拥有省部级以上研发机构", "direct: provincial-or-higher R&D institution"));
  }
  if (y->standard_lead_5y.value_or(false)) {
    direct.push_back(R("直接认定：近五年主导制定国际、国家或行业标准",
                       "direct: led an international, national or industry standard in the last five years"));
  }

  if (cond.outcome == Outcome::kFails) {
    q.result = Outcome::kFails;
  } else if (cond.outcome == Outcome::kQualifies && !direct.empty()) {
    q.result = Outcome::kQualifies;
    q.route = "direct";
    q.reasons.insert(q.reasons.end(), direct.begin(), direct.end());
  } else if (cond.outcome == Outcome::kQualifies) {
    q.result = by_score;
    if (by_score == Outcome::kQualifies) q.route = "score";
  } else {
    // Eligibility undetermined: only a score that cannot reach the bar (and no direct route) settles it.
    q.result = by_score == Outcome::kFails && direct.empty() ? Outcome::kFails : Outcome::kUndetermined;
    q.reasons.insert(q.reasons.end(), direct.begin(), direct.end());
  }

  if (q.route != "direct") {
    if (by_score == Outcome::kFails && s.tech.max == 0) {
      q.reasons.push_back(R("科技人员指标得0分，不符合条件5", "tech staff scores 0, which fails condition 5"));
    }
    q.reasons.push_back(R(fmt::format("综合评分{}分（科技人员{}、研发{}、知识产权{}），合格线{}分", score_text,
                                      BandText(s.tech), BandText(s.rd), BandText(s.ip), kPass),
                          fmt::format("score {} (tech staff {}, R&D {}, IP {}); the bar is {}", score_text,
                                      BandText(s.tech), BandText(s.rd), BandText(s.ip), kPass)));
  }

  // The one sentence that decides the result.
  if (cond.first_fail) {
    q.verdict = *cond.first_fail;
  } else if (q.route == "direct") {
    q.verdict = direct.front();
  } else if (cond.first_unknown && q.result == Outcome::kUndetermined) {
    q.verdict = *cond.first_unknown;
  } else if (by_score == Outcome::kFails && s.tech.max == 0 && q.score.min >= kPass) {
    q.verdict = R("科技人员指标得0分，不符合条件5", "tech staff scores 0, which fails condition 5");
  } else {
    q.verdict = q.reasons.back();
  }

  // One tier short: eligible, below the bar on known points, and one tier step on one indicator
  // reaches it (and, where the technology-staff score is 0, that step is the technology staff's).
  if (cond.outcome != Outcome::kFails && q.result != Outcome::kQualifies && q.score.known() && q.score.min < kPass) {
    const int need = kPass - q.score.min;
    for (Gap& g : q.gaps) {
      const bool fixes_tech = s.tech.min > 0 || g.indicator == "tech_staff_share";
      g.reaches_bar = g.points >= need && fixes_tech;
      if (g.reaches_bar) q.nearly = true;
    }
  }
  if (q.result != Outcome::kUndetermined) q.missing_cells.clear();
  return q;
}

}  // namespace clusterscope
