// BriefParagraphs and SurveyBrief: the facts as formal prose. Each sentence is assembled from
// clauses so that a missing figure drops its clause, and wording follows the data (growth or
// decline, one firm or many, flagged or not, a grade or a provisional score, the current year or
// a past one).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "briefing/style.h"
#include "clusterscope/briefing.h"
#include "clusterscope/rules.h"  // Reason: a sentence in both languages

namespace clusterscope {
namespace {

using briefing::Capitalised;
using briefing::FirmsEn;
using briefing::Pct;
using briefing::Position;
using briefing::PositionShort;
using briefing::Thousands;

// "A", "A and B", "A, B and C".
std::string ListEn(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

std::string ListZh(const std::vector<std::string>& items, const char* sep = "、") {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i > 0 ? sep : "") + items[i];
  return out;
}

// "A和B", "A、B和C".
std::string ListZhAnd(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? "和" : "、";
    out += items[i];
  }
  return out;
}

std::string NumberZh(size_t n) {
  static constexpr const char* kDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  if (n <= 10) return kDigits[n];
  if (n < 20) return std::string("十") + kDigits[n - 10];
  return std::to_string(n);
}
// "两个" rather than "二个" before a measure word.
std::string CountZh(size_t n) { return n == 2 ? "两" : NumberZh(n); }
std::string NumberEn(size_t n) {
  static constexpr const char* kWords[] = {"no",  "one",   "two",   "three", "four", "five",
                                           "six", "seven", "eight", "nine",  "ten"};
  return n <= 10 ? kWords[n] : std::to_string(n);
}

// Growth shown to one decimal: below 0.05% either way reads as "level".
int GrowthSign(double g) {
  if (std::fabs(g) < 0.0005) return 0;
  return g > 0 ? 1 : -1;
}

// The report's words for a flagged dimension.
std::string ProblemZh(const std::string& id) {
  if (id == "talent") return "人才缺乏";
  if (id == "financing") return "融资困难";
  return "创新能力不足";
}
std::string ProblemEn(const std::string& id) {
  if (id == "talent") return "a shortage of talent";
  if (id == "financing") return "difficulty in financing";
  return "weak innovation capability";
}

// The four grades in English as an official would write them ("rated satisfactory", not
// "rated pass"); another scheme's grade in its own English.
std::string GradeEn(const BriefFacts::Rating& r) {
  if (r.grade == "优秀") return "excellent";
  if (r.grade == "良好") return "good";
  if (r.grade == "合格") return "satisfactory";
  if (r.grade == "不合格") return "unsatisfactory";
  return r.grade_en.empty() ? r.grade : r.grade_en;
}

std::string Sentence(std::string s) {
  while (!s.empty() && (s.ends_with("。") || s.ends_with("."))) s.resize(s.size() - (s.ends_with(".") ? 1 : 3));
  return s;
}

// The brief speaks of the present only for the latest year with reports.
bool Current(const BriefFacts& f) { return f.latest_year == 0 || f.year >= f.latest_year; }
bool NoFirms(const BriefFacts& f) { return f.firm_count && *f.firm_count == 0; }

// Names as English prose uses them: "the Qinghai … Cluster" when the register has an English
// name, else the registered Chinese name.
std::string ClusterEn(const BriefFacts& f) {
  if (!f.cluster_name_en.empty()) return "the " + f.cluster_name_en;
  return f.cluster_name.empty() ? std::string("the cluster") : f.cluster_name;
}
std::string ClusterHeadingEn(const BriefFacts& f) {
  return !f.cluster_name_en.empty() ? f.cluster_name_en : f.cluster_name;
}
std::string ZoneZh(const BriefFacts& f) { return f.zone_name.empty() ? std::string("所在园区") : f.zone_name; }
std::string ZoneEn(const BriefFacts& f) {
  if (!f.zone_name_en.empty()) return "the " + f.zone_name_en;
  return f.zone_name.empty() ? std::string("its zone") : f.zone_name;
}
std::string BackboneEn(const BriefFacts& f, size_t i) {
  return i < f.backbone_names_en.size() && !f.backbone_names_en[i].empty() ? f.backbone_names_en[i]
                                                                           : f.backbone_names[i];
}

// ---------------------------------------------------------------- localisation
// The leading industry's Kd verdict (BriefFacts::Localisation). Distances are listed as the
// verdict gives them, at most three ranges, the rest summed up in words.
using Localisation = BriefFacts::Localisation;

std::string Km(double v) { return fmt::format("{:.6g}", v); }

std::vector<std::string> KmRanges(const std::vector<place::Interval>& v, std::string_view unit) {
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size() && i < 3; ++i) {
    out.push_back((v[i].from == v[i].to ? Km(v[i].from) : Km(v[i].from) + "–" + Km(v[i].to)) + std::string(unit));
  }
  return out;
}

std::string LevelPct(double level) { return fmt::format("{:.6g}%", level * 100); }

std::string LocalisationZh(const BriefFacts& f) {
  const Localisation& l = *f.localisation;
  const std::string industry = l.industry_name.empty() ? fmt::format("（行业代码{}）", l.industry)
                                                       : fmt::format("{}（{}）", l.industry_name, l.industry);
  if (l.status == Localisation::Status::kNoCoordinates) {
    return fmt::format("从空间分布看，{}年报送数据的企业均无地理坐标，无法检验集群主导产业{}是否集聚。", f.year,
                       industry);
  }
  if (l.status == Localisation::Status::kTooFewFirms) {
    if (l.firms == 0) {
      return fmt::format("从空间分布看，{}年集群主导产业{}尚无报送数据且有地理坐标的企业，无法检验其是否集聚。", f.year,
                         industry);
    }
    return fmt::format(
        "从空间分布看，{}年集群主导产业{}报送数据且有地理坐标的企业仅{}家，不足{}家，无法检验其是否集聚。", f.year,
        industry, l.firms, Localisation::kMinFirms);
  }
  const std::string band = fmt::format("{}次随机标记模拟的全局置信带（显著性水平{}）", l.sims, LevelPct(l.level));
  const auto ranges = [](const std::vector<place::Interval>& v) {
    return v.size() > 3 ? ListZh(KmRanges(v, "公里")) + "等距离上" : ListZhAnd(KmRanges(v, "公里")) + "的距离上";
  };
  std::string s = fmt::format("从空间分布看，{}年全国报送数据且有地理坐标的{}家企业中，集群主导产业{}企业{}家，",
                              f.year, l.sites, industry, l.firms);
  if (l.tested < l.firms) s += fmt::format("以随机抽取的其中{}家检验，", l.tested);
  switch (l.verdict) {
    case place::Verdict::kLocalised:
      s += fmt::format("呈集聚分布：其两两距离的核密度（Duranton–Overman Kd）在{}高于{}。", ranges(l.localised_at),
                       band);
      break;
    case place::Verdict::kDispersed:
      s += fmt::format("呈分散分布：其两两距离的核密度（Duranton–Overman Kd）在{}低于{}，{}公里内从未高于该置信带。",
                       ranges(l.dispersed_at), band, Km(l.r_max_km));
      break;
    default:
      s +=
          fmt::format("既未呈集聚也未呈分散分布：0–{}公里内，其两两距离的核密度（Duranton–Overman Kd）始终处于{}之内。",
                      Km(l.r_max_km), band);
  }
  return s;
}

std::string IndustryEn(const Localisation& l) {
  const char* level = l.industry.size() <= 2 ? "division" : l.industry.size() == 3 ? "group" : "class";
  return fmt::format("GB/T 4754 {} {}", level, l.industry);
}

std::string LocalisationEn(const BriefFacts& f) {
  const Localisation& l = *f.localisation;
  const std::string industry = IndustryEn(l);
  if (l.status == Localisation::Status::kNoCoordinates) {
    return fmt::format(
        "No firm that reported for {} has coordinates, so whether the firms of the cluster's leading industry ({}) "
        "are localised cannot be tested.",
        f.year, industry);
  }
  if (l.status == Localisation::Status::kTooFewFirms) {
    if (l.firms == 0) {
      return fmt::format(
          "No firm of the cluster's leading industry ({}) with coordinates reported for {}, so whether the industry "
          "is localised cannot be tested.",
          industry, f.year);
    }
    return fmt::format(
        "Only {} of the cluster's leading industry ({}) with coordinates reported for {}, fewer than {}: too few to "
        "test whether the industry is localised.",
        l.firms == 1 ? std::string("one firm") : fmt::format("{} firms", l.firms), industry, f.year,
        Localisation::kMinFirms);
  }
  const std::string band =
      fmt::format("the global band of {} random relabellings (at the {} level)", l.sims, LevelPct(l.level));
  const auto ranges = [](const std::vector<place::Interval>& v) {
    const std::vector<std::string> listed = KmRanges(v, " km");
    if (v.size() <= 3) return ListEn(listed);
    std::string s;
    for (const std::string& r : listed) s += r + ", ";
    s.resize(s.size() - 2);
    return s + fmt::format(" and {} more {}", v.size() - 3, v.size() == 4 ? "range" : "ranges");
  };
  std::string s = fmt::format(
      "In {}, {} of the {} firms across the country with coordinates that reported were in the cluster's leading "
      "industry ({}){} ",
      f.year, Thousands(l.firms), Thousands(l.sites), industry,
      l.tested < l.firms ? fmt::format("; tested on a random sample of {} of them, they were", Thousands(l.tested))
                         : std::string(", and they were"));
  switch (l.verdict) {
    case place::Verdict::kLocalised:
      s += fmt::format(
          "localised: the density of the distances between them (the Duranton–Overman Kd) was above {} at {}.", band,
          ranges(l.localised_at));
      break;
    case place::Verdict::kDispersed:
      s += fmt::format(
          "dispersed: the density of the distances between them (the Duranton–Overman Kd) was below {} at {}, and "
          "never above it within {} km.",
          band, ranges(l.dispersed_at), Km(l.r_max_km));
      break;
    default:
      s += fmt::format(
          "neither localised nor dispersed: within 0–{} km the density of the distances between them (the "
          "Duranton–Overman Kd) stayed inside {}.",
          Km(l.r_max_km), band);
  }
  return s;
}

// What the data calls for, in both languages: each recommendation is triggered by one fact, so
// the Chinese and English briefs always recommend the same things. The construction body and the
// alliance come from the register, so a cluster that has them on record is never told to set
// them up, whatever its year's reports hold.
std::vector<Reason> Recommendations(const BriefFacts& f) {
  std::vector<Reason> recs;
  if (NoFirms(f)) {
    recs.push_back({"组织集群企业按时报送年度统计数据", "have the cluster's firms file their annual statistics"});
  }
  if (!f.has_construction_body) {
    recs.push_back({"进一步明确集群建设主体，完善协同工作机制",
                    "name the cluster's construction body and set up its coordination mechanism"});
  }
  if (!f.has_alliance) {
    recs.push_back({"组建产业技术创新战略联盟，集聚各类创新要素",
                    "form an industry technology innovation alliance to gather innovation resources"});
  }
  if (f.depends_on_one) {
    recs.push_back({"在发挥骨干企业引领作用的同时，降低对单一企业的依赖，培育更多产值过亿元企业",
                    "let the backbone firms lead while reducing the reliance on a single firm"});
  } else if (!f.backbone_names.empty()) {
    recs.push_back({"充分发挥骨干企业的创新示范作用", "let the backbone firms lead and demonstrate innovation"});
  }
  if (f.sme_nearly > 0) {
    recs.push_back(
        {fmt::format("加快培育科技型中小企业，重点帮助差一档的{}家企业达标", f.sme_nearly),
         fmt::format("speed up the cultivation of technology-based SMEs, starting with the {} one tier short",
                     f.sme_nearly == 1 ? std::string("firm") : fmt::format("{} firms", f.sme_nearly))});
  }
  for (const auto& d : f.dimensions) {
    if (!d.flagged) continue;
    if (d.id == "talent") recs.push_back({"加大人才引进和培养力度，解决人才缺乏问题", "attract and train talent"});
    if (d.id == "financing") {
      recs.push_back({"拓宽融资渠道，引导风险投资和银行信贷支持集群企业",
                      "widen financing, bringing venture capital and bank credit to the firms"});
    }
    if (d.id == "innovation") {
      recs.push_back({"提高研发投入强度，加强知识产权创造，提升创新能力",
                      "raise R&D intensity and the creation of intellectual property"});
    }
  }
  if (recs.empty()) {
    recs.push_back({"保持良好发展势头，持续优化创新创业生态环境",
                    "keep up the momentum and keep improving the environment for innovation"});
  }
  return recs;
}

// ---------------------------------------------------------------- Chinese
// "建议：一是…；二是…。", from what the data shows.
std::string ChineseRecommendations(const BriefFacts& f) {
  std::vector<std::string> recs;
  for (const Reason& r : Recommendations(f)) recs.push_back(r.zh);
  if (recs.size() == 1) return "建议：" + recs[0] + "。";
  std::string r = "建议：";
  for (size_t i = 0; i < recs.size(); ++i) r += fmt::format("{}{}是{}", i > 0 ? "；" : "", NumberZh(i + 1), recs[i]);
  return r + "。";
}

std::vector<std::string> Chinese(const BriefFacts& f, bool with_recommendations) {
  std::vector<std::string> out;
  const std::string zone = ZoneZh(f);
  const std::string lead = Current(f) ? "目前，" : fmt::format("截至{}年底，", f.year);

  // The figures, in the report's order.
  std::string p;
  if (NoFirms(f)) {
    p = fmt::format("{}年，{}尚无报送统计数据的集群企业。", f.year, f.cluster_name);
  } else if (f.firm_count) {
    p += fmt::format("{}{}共有企业{}家", lead, f.cluster_name, *f.firm_count);
    if (f.zone_producing_share) p += fmt::format("，占{}投产企业总数的{}", zone, Pct(*f.zone_producing_share));
    p += "。";
  }
  std::vector<std::string> clauses;
  if (f.gross_output) {
    std::string c =
        fmt::format("集群企业共实现工业总产值{}", briefing::MoneyZh(static_cast<double>(*f.gross_output) / 100));
    if (f.gross_output_growth) {
      switch (GrowthSign(*f.gross_output_growth)) {
        case 1:
          c += fmt::format("，同比增长{}", Pct(*f.gross_output_growth));
          break;
        case -1:
          c += fmt::format("，同比下降{}", Pct(-*f.gross_output_growth));
          break;
        default:
          c += "，与上年基本持平";
      }
    }
    if (f.zone_output_share) c += fmt::format("，占{}工业总产值的{}", zone, Pct(*f.zone_output_share));
    clauses.push_back(std::move(c));
  }
  if (f.leading_va_share) clauses.push_back(fmt::format("主导产业工业增加值占集群的{}", Pct(*f.leading_va_share)));
  if (f.firms_over_100m && !NoFirms(f)) {
    clauses.push_back(*f.firms_over_100m > 0 ? fmt::format("有{}家集群企业实现工业总产值过亿元", *f.firms_over_100m)
                                             : std::string("尚无集群企业工业总产值过亿元"));
  }
  if (!clauses.empty()) p += fmt::format("{}年，{}。", f.year, ListZh(clauses, "，"));
  if (!p.empty()) out.push_back(std::move(p));

  // The rating: a grade, or a provisional score awaiting the expert review, or why none.
  if (f.rating) {
    const auto& r = *f.rating;
    const std::string scheme = r.scheme_zh.empty() ? r.scheme : r.scheme_zh;
    std::string s;
    if (!r.grade.empty()) {
      s = fmt::format("按“{}”方案，集群{}年得分{:.1f}分，评为“{}”", scheme, f.year, r.score, r.grade);
      if (r.rank > 0) s += fmt::format("，在{}个集群中居第{}位", r.of, r.rank);
      s += r.expert_included ? "（含专家评审得分）。" : "（仅依据统计数据）。";
    } else if (!r.expert_included) {
      s = fmt::format("按“{}”方案，集群{}年初评得分{:.1f}分（仅依据统计数据）", scheme, f.year, r.score);
      if (r.rank > 0) s += fmt::format("，在{}个参评集群中居第{}位", r.of, r.rank);
      s += "，待专家复评后定级。";
    } else {
      s = fmt::format("按“{}”方案，集群{}年得分{:.1f}分（含专家评审得分）", scheme, f.year, r.score);
      if (r.rank > 0) s += fmt::format("，在{}个集群中居第{}位", r.of, r.rank);
      s += "。";
    }
    out.push_back(std::move(s));
  } else if (!f.not_rated_zh.empty()) {
    out.push_back(fmt::format("集群{}年未参加年度评价：{}。", f.year, Sentence(f.not_rated_zh)));
  }
  if (NoFirms(f)) {
    if (with_recommendations) out.push_back(ChineseRecommendations(f));
    return out;
  }

  // The diagnosis.
  if (!f.dimensions.empty()) {
    std::vector<std::string> problems;
    std::vector<std::string> details;
    std::vector<std::string> strengths;
    const BriefFacts::Dimension* weakest = nullptr;
    for (const auto& d : f.dimensions) {
      if (d.id == f.weakest) weakest = &d;
      if (d.flagged) {
        problems.push_back(ProblemZh(d.id));
        std::vector<std::string> inds;
        std::vector<std::string> high;  // less-is-better indicators: weak when 偏高
        for (const auto& i : d.behind) {
          inds.push_back(fmt::format("{}（{}，{}）", i.zh, i.value_zh, PositionShort(i.percentile, Lang::kZh)));
        }
        // Direction-neutral: a low percentile may be a low share or a high debt ratio.
        details.push_back(fmt::format("{}{}{}", d.zh, Position(d.percentile, Lang::kZh),
                                      inds.empty() ? "" : "，主要受" + ListZh(inds) + "拖累"));
      } else if (d.percentile >= 0.75) {
        strengths.push_back(d.zh + Position(d.percentile, Lang::kZh));
      }
    }
    std::string s;
    if (!problems.empty()) {
      s = fmt::format("诊断显示，集群存在{}的问题：{}。", ListZh(problems), ListZh(details, "；"));
    } else if (weakest != nullptr) {
      s = fmt::format("诊断显示，集群人才、融资和创新能力三方面均未见明显短板，相对薄弱的是{}，{}", weakest->zh,
                      Position(weakest->percentile, Lang::kZh));
      if (!weakest->behind.empty()) {
        const auto& i = weakest->behind.front();
        s += fmt::format("，主要受{}拖累（{}，{}）", i.zh, i.value_zh, PositionShort(i.percentile, Lang::kZh));
      }
      s += "。";
    }
    if (!strengths.empty()) s += fmt::format("{}，相对较强。", ListZh(strengths, "，"));
    if (!s.empty()) out.push_back(std::move(s));
  }

  // Backbone firms and the pipeline.
  std::string b;
  const int64_t firms = f.firm_count.value_or(0);
  if (!f.backbone_names.empty()) {
    std::vector<std::string> names(f.backbone_names.begin(),
                                   f.backbone_names.begin() + std::min<size_t>(3, f.backbone_names.size()));
    if (firms == 1) {
      b = fmt::format("{}是集群唯一的企业，集群对单一企业依赖较重", names[0]);
    } else {
      b = names.size() == 1 ? fmt::format("{}是集群的骨干企业", names[0])
                            : fmt::format("{}等骨干企业发挥引领作用", ListZh(names));
      // "The top three" only says something when the cluster has more than three firms.
      if (f.top3_share && firms > 3)
        b += fmt::format("，产值居前三位的企业合计占集群工业总产值的{}", Pct(*f.top3_share));
      if (f.depends_on_one && f.largest_share) {
        b += fmt::format("，产值最大的一家企业即占集群工业总产值的{}，集群对单一企业依赖较重", Pct(*f.largest_share));
      }
    }
    b += "。";
  }
  b += !f.sme_applicable ? std::string("科技型中小企业评价自2017年起施行，当年不适用")
       : f.sme_qualifying > 0 ? fmt::format("集群内有{}家企业符合科技型中小企业评价条件", f.sme_qualifying)
                              : std::string("集群内尚无企业符合科技型中小企业评价条件");
  if (f.sme_nearly > 0) {
    b += fmt::format("，另有{}家企业差一档即可达标", f.sme_nearly);
    if (f.nearly_name) b += fmt::format("（如{}，{}）", *f.nearly_name, f.nearly_gap_zh);
  }
  if (f.high_tech_candidates > 0) {
    b += fmt::format("；{}家尚未认定的企业满足高新技术企业可由统计数据核验的各项条件", f.high_tech_candidates);
  }
  b += "。";
  out.push_back(std::move(b));

  if (f.localisation) out.push_back(LocalisationZh(f));
  if (with_recommendations) out.push_back(ChineseRecommendations(f));
  return out;
}

// ---------------------------------------------------------------- English
std::string EnglishRecommendations(const BriefFacts& f) {
  std::vector<std::string> recs;
  for (const Reason& r : Recommendations(f)) recs.push_back(r.en);
  static constexpr const char* kNth[] = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"};
  std::string r = "Recommendations: ";
  if (recs.size() == 1) {
    r += recs[0];
  } else {
    for (size_t i = 0; i < recs.size() && i < 8; ++i) r += fmt::format("{}{}, {}", i > 0 ? "; " : "", kNth[i], recs[i]);
  }
  return r + ".";
}

std::vector<std::string> English(const BriefFacts& f, bool with_recommendations) {
  std::vector<std::string> out;
  const bool now = Current(f);
  const std::string zone = ZoneEn(f);
  const std::string name = ClusterEn(f);
  const auto verb = [now](const char* present, const char* past) { return std::string(now ? present : past); };

  std::string p;
  if (NoFirms(f)) {
    p = fmt::format("In {}, no firm of {} reported statistics.", f.year, name);
  } else if (f.firm_count) {
    p += now ? fmt::format("{} has {}", Capitalised(name), FirmsEn(*f.firm_count))
             : fmt::format("At the end of {}, {} had {}", f.year, name, FirmsEn(*f.firm_count));
    if (f.zone_producing_share) {
      p += fmt::format(", {} of the producing firms in {}", Pct(*f.zone_producing_share), zone);
    }
    p += ".";
  }
  if (f.gross_output) {
    std::string s = fmt::format(" In {}, its firms produced gross industrial output of {}", f.year,
                                briefing::MoneyEn(static_cast<double>(*f.gross_output) / 100));
    if (f.gross_output_growth) {
      switch (GrowthSign(*f.gross_output_growth)) {
        case 1:
          s += fmt::format(", up {} on the previous year", Pct(*f.gross_output_growth));
          break;
        case -1:
          s += fmt::format(", down {} on the previous year", Pct(-*f.gross_output_growth));
          break;
        default:
          s += ", level with the previous year";
      }
    }
    if (f.zone_output_share) s += fmt::format(", or {} of the zone's industrial output", Pct(*f.zone_output_share));
    p += s + ".";
  }
  std::string last;
  if (f.leading_va_share) {
    last = fmt::format("Its leading industries accounted for {} of industrial value added", Pct(*f.leading_va_share));
  }
  if (f.firms_over_100m && !NoFirms(f)) {
    const int64_t k = *f.firms_over_100m;
    if (last.empty()) {
      last = k == 0   ? std::string("None of its firms had output of 100 million yuan or more")
             : k == 1 ? std::string("One of its firms had output of 100 million yuan or more")
                      : fmt::format("It had {} firms with output of 100 million yuan or more", k);
    } else {
      last += k == 0   ? std::string(", and no firm had output of 100 million yuan or more")
              : k == 1 ? std::string(", and one firm had output of 100 million yuan or more")
                       : fmt::format(", and {} firms had output of 100 million yuan or more", k);
    }
  }
  if (!last.empty()) p += " " + last + ".";
  if (!p.empty()) out.push_back(p[0] == ' ' ? p.substr(1) : p);

  if (f.rating) {
    const auto& r = *f.rating;
    const std::string scheme = r.scheme_en.empty() ? r.scheme : r.scheme_en;
    const std::string rank = r.rank > 0 ? fmt::format(", {} of {} clusters", EnglishOrdinal(r.rank), r.of) : "";
    std::string s;
    if (!r.grade.empty()) {
      s = fmt::format("Under the {} the cluster scored {:.1f} for {} and was rated {}{}, {}.", scheme, r.score, f.year,
                      GradeEn(r), rank, r.expert_included ? "expert review included" : "on the statistics alone");
    } else if (!r.expert_included) {
      s = fmt::format(
          "Under the {} the cluster's provisional score for {} was {:.1f}, on the statistics alone{}; it will be "
          "graded after the expert review.",
          scheme, f.year, r.score, rank);
    } else {
      s = fmt::format("Under the {} the cluster scored {:.1f} for {}, expert review included{}.", scheme, r.score,
                      f.year, rank);
    }
    out.push_back(std::move(s));
  } else if (!f.not_rated_en.empty()) {
    out.push_back(fmt::format("The cluster was not rated in the annual evaluation for {}: {}.", f.year,
                              Sentence(f.not_rated_en)));
  }
  if (NoFirms(f)) {
    if (with_recommendations) out.push_back(EnglishRecommendations(f));
    return out;
  }

  if (!f.dimensions.empty()) {
    std::vector<std::string> problems;
    std::vector<std::string> details;
    std::vector<std::string> strengths;
    const BriefFacts::Dimension* weakest = nullptr;
    for (const auto& d : f.dimensions) {
      if (d.id == f.weakest) weakest = &d;
      if (d.flagged) {
        problems.push_back(ProblemEn(d.id));
        std::vector<std::string> inds;
        for (const auto& i : d.behind) {
          inds.push_back(fmt::format("{} ({}, {})", i.en, i.value_en, PositionShort(i.percentile, Lang::kEn)));
        }
        details.push_back(fmt::format("{} {} {}{}", Capitalised(d.en), verb("is", "was"),
                                      Position(d.percentile, Lang::kEn),
                                      inds.empty() ? "" : ", held down by its " + ListEn(inds)));
      } else if (d.percentile >= 0.75) {
        strengths.push_back(fmt::format("{} ({})", d.en, PositionShort(d.percentile, Lang::kEn)));
      }
    }
    std::string s;
    if (!problems.empty()) {
      std::string joined;
      for (const auto& d : details) joined += (joined.empty() ? "" : ". ") + d;
      s = fmt::format("The diagnosis {} {}. {}.", verb("finds", "found"), ListEn(problems), joined);
    } else if (weakest != nullptr) {
      s = fmt::format(
          "The diagnosis {} no marked weakness in talent, financing or innovation capability; the weakest {} {}, {}",
          verb("finds", "found"), verb("is", "was"), weakest->en, Position(weakest->percentile, Lang::kEn));
      if (!weakest->behind.empty()) {
        const auto& i = weakest->behind.front();
        s += fmt::format(", held down mainly by its {} ({}, {})", i.en, i.value_en,
                         PositionShort(i.percentile, Lang::kEn));
      }
      s += ".";
    }
    if (!strengths.empty()) {
      s += fmt::format(" It {} comparatively strong in {}.", verb("is", "was"), ListEn(strengths));
    }
    if (!s.empty()) out.push_back(s[0] == ' ' ? s.substr(1) : s);
  }

  std::string b;
  const int64_t firms = f.firm_count.value_or(0);
  if (!f.backbone_names.empty()) {
    std::vector<std::string> names;
    for (size_t i = 0; i < f.backbone_names.size() && i < 3; ++i) names.push_back(BackboneEn(f, i));
    if (firms == 1) {
      b = fmt::format("{} {} the cluster's only firm, so the cluster {} entirely on it", names[0], verb("is", "was"),
                      verb("depends", "depended"));
    } else {
      b = names.size() == 1
              ? fmt::format("{} {} the cluster's backbone firm", names[0], verb("is", "was"))
              : fmt::format("Backbone firms such as {} {} the cluster", ListEn(names), verb("lead", "led"));
      const bool top3 = f.top3_share && firms > 3;
      if (top3) {
        b += fmt::format("; the three largest firms by output {} {} of the cluster's output", verb("make", "made"),
                         Pct(*f.top3_share));
      }
      if (f.depends_on_one && f.largest_share) {
        b += fmt::format("; the largest firm alone {} {} of {}, so the cluster {} heavily on one firm",
                         verb("makes", "made"), Pct(*f.largest_share), top3 ? "it" : "the cluster's output",
                         verb("leans", "leaned"));
      }
    }
    b += ". ";
  }
  b += !f.sme_applicable
           ? std::string("The technology-based SME evaluation scheme began in 2017 and does not apply to that year")
       : f.sme_qualifying == 0
           ? (now ? std::string("No firm in the cluster qualifies as a technology-based SME yet")
                  : fmt::format("No firm in the cluster qualified as a technology-based SME in {}", f.year))
       : f.sme_qualifying == 1
           ? fmt::format("Within the cluster, one firm {} as a technology-based SME", verb("qualifies", "qualified"))
           : fmt::format("Within the cluster, {} firms {} as technology-based SMEs", f.sme_qualifying,
                         verb("qualify", "qualified"));
  if (f.sme_nearly > 0) {
    b += fmt::format("; {} {} one tier short", f.sme_nearly == 1 ? "one more" : fmt::format("{} more", f.sme_nearly),
                     f.sme_nearly == 1 ? verb("is", "was") : verb("are", "were"));
    if (f.nearly_name) {
      b += fmt::format(" (for example {} — {})", f.nearly_name_en.empty() ? *f.nearly_name : f.nearly_name_en,
                       f.nearly_gap_en);
    }
  }
  if (f.high_tech_candidates > 0) {
    b += fmt::format("; {} without a high-tech certificate {} every high-tech criterion the statistics can check",
                     FirmsEn(f.high_tech_candidates),
                     f.high_tech_candidates == 1 ? verb("meets", "met") : verb("meet", "met"));
  }
  b += ".";
  out.push_back(std::move(b));

  if (f.localisation) out.push_back(LocalisationEn(f));
  if (with_recommendations) out.push_back(EnglishRecommendations(f));
  return out;
}

std::vector<std::string> ClusterParagraphs(const BriefFacts& f, Lang lang, bool with_recommendations) {
  return lang == Lang::kZh ? Chinese(f, with_recommendations) : English(f, with_recommendations);
}

// ---------------------------------------------------------------- several clusters
// The clusters for which `pick` holds, by name.
template <typename Pick>
std::vector<std::string> Names(const std::vector<BriefFacts>& cs, Lang lang, Pick pick) {
  std::vector<std::string> out;
  for (const auto& c : cs) {
    if (pick(c)) out.push_back(lang == Lang::kZh ? c.cluster_name : ClusterEn(c));
  }
  return out;
}

bool Flagged(const BriefFacts& c, const std::string& id) {
  return std::any_of(c.dimensions.begin(), c.dimensions.end(),
                     [&](const BriefFacts::Dimension& d) { return d.id == id && d.flagged; });
}

std::string Opening(const std::vector<BriefFacts>& cs, const SurveyScope& scope, Lang lang) {
  const bool zh = lang == Lang::kZh;
  const int year = scope.year != 0 ? scope.year : (cs.empty() ? 0 : cs.front().year);
  std::vector<std::string> listed;
  for (const auto& c : cs) {
    if (zh) {
      listed.push_back(c.zone_name.empty() ? c.cluster_name : fmt::format("{}（{}）", c.cluster_name, c.zone_name));
    } else {
      listed.push_back(c.zone_name.empty() && c.zone_name_en.empty()
                           ? ClusterEn(c)
                           : fmt::format("{} in {}", ClusterEn(c), ZoneEn(c)));
    }
  }
  int64_t firms = 0;
  double output = 0;
  bool all_firms = !cs.empty();
  bool all_output = !cs.empty();
  for (const auto& c : cs) {
    if (c.firm_count)
      firms += *c.firm_count;
    else
      all_firms = false;
    if (c.gross_output)
      output += static_cast<double>(*c.gross_output) / 100;
    else
      all_output = false;
  }
  std::string s;
  if (zh) {
    s = scope.region_zh.empty()
            ? fmt::format("本简报涉及{}个创新型产业集群：{}。", CountZh(cs.size()), ListZhAnd(listed))
            : fmt::format("本简报涉及{}的{}个创新型产业集群：{}。", scope.region_zh, CountZh(cs.size()),
                          ListZhAnd(listed));
    if (cs.size() > 1 && (all_firms || all_output)) {
      std::vector<std::string> clauses;
      if (all_firms) clauses.push_back(fmt::format("共有企业{}家", firms));
      if (all_output) clauses.push_back(fmt::format("共实现工业总产值{}", briefing::MoneyZh(output)));
      s += fmt::format("{}年，{}个集群{}。", year, CountZh(cs.size()), ListZh(clauses, "，"));
    }
    if (!scope.left_out_zh.empty()) {
      s += fmt::format("{}尚未认定为创新型产业集群，未纳入本简报。", ListZhAnd(scope.left_out_zh));
    }
  } else {
    s = fmt::format("This briefing covers {} innovation-oriented industrial {}{}: {}.", NumberEn(cs.size()),
                    cs.size() == 1 ? "cluster" : "clusters", scope.region_en.empty() ? "" : " in " + scope.region_en,
                    ListEn(listed));
    if (cs.size() > 1 && (all_firms || all_output)) {
      std::vector<std::string> clauses;
      if (all_firms) clauses.push_back(fmt::format("had {} between them", FirmsEn(firms)));
      if (all_output)
        clauses.push_back(fmt::format("produced gross industrial output of {}", briefing::MoneyEn(output)));
      s += fmt::format(" In {}, the {} clusters {}.", year, NumberEn(cs.size()), ListEn(clauses));
    }
    if (!scope.left_out_en.empty()) {
      const bool one = scope.left_out_en.size() == 1;
      s += fmt::format(" {} {} not yet recognised as {} and {} not covered.", Capitalised(ListEn(scope.left_out_en)),
                       one ? "is" : "are",
                       one ? "an innovation-oriented industrial cluster" : "innovation-oriented industrial clusters",
                       one ? "is" : "are");
    }
  }
  return s;
}

// The problems the data show, cluster by cluster: "A存在人才缺乏和创新能力不足问题，对单一企业依赖较重".
std::string CommonProblems(const std::vector<BriefFacts>& cs, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::vector<std::string> items;
  bool any_flagged = false;
  for (const auto& c : cs) {
    const bool now = Current(c);
    std::vector<std::string> own;
    if (NoFirms(c)) {
      own.push_back(zh ? fmt::format("{}年尚无企业报送统计数据", c.year)
                       : fmt::format("had no firm reporting statistics for {}", c.year));
    }
    std::vector<std::string> problems;
    for (const char* id : {"talent", "financing", "innovation"}) {
      if (Flagged(c, id)) problems.push_back(zh ? ProblemZh(id) : ProblemEn(id));
    }
    if (!problems.empty()) {
      any_flagged = true;
      own.push_back(zh ? fmt::format("存在{}问题", ListZhAnd(problems))
                       : fmt::format("{} {}", now ? "faces" : "faced", ListEn(problems)));
    }
    if (c.depends_on_one && !NoFirms(c)) {
      own.push_back(zh ? std::string("对单一企业依赖较重")
                       : fmt::format("{} heavily on one firm", now ? "leans" : "leaned"));
    }
    if (!c.has_construction_body) {
      own.push_back(zh ? std::string("尚未明确建设主体") : std::string("has no construction body on record"));
    }
    if (!c.has_alliance) {
      own.push_back(zh ? std::string("尚未组建产业技术创新战略联盟")
                       : std::string("has not formed an industry technology innovation alliance"));
    }
    if (own.empty()) continue;
    items.push_back(zh ? c.cluster_name + ListZh(own, "，") : ClusterEn(c) + " " + ListEn(own));
  }
  if (!any_flagged) {
    std::vector<std::string> weakest;
    for (const auto& c : cs) {
      for (const auto& d : c.dimensions) {
        if (d.id != c.weakest) continue;
        weakest.push_back(zh ? fmt::format("{}的{}", c.cluster_name, d.zh)
                             : fmt::format("{} in {}", d.en, ClusterEn(c)));
      }
    }
    if (!weakest.empty()) {
      items.insert(items.begin(),
                   zh ? fmt::format("各集群人才、融资和创新能力未见明显短板，相对薄弱的是{}", ListZhAnd(weakest))
                      : fmt::format("no cluster has a marked weakness in talent, financing or innovation "
                                    "capability; the weakest {} {}",
                                    weakest.size() == 1 ? "is" : "are", ListEn(weakest)));
    }
  }
  if (items.empty())
    return zh ? "从数据看，各集群未见突出问题。" : "The data show no marked problem in any of the clusters.";
  if (zh) return "从数据看，" + ListZh(items, "；") + "。";
  std::string joined;
  for (const auto& i : items) joined += (joined.empty() ? "" : "; ") + i;
  return "The data show that " + joined + ".";
}

std::string SurveyRecommendations(const std::vector<BriefFacts>& cs, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::vector<std::string> recs;
  // 1. Construction bodies, alliances and coordination, for the clusters that lack them.
  const auto bodyless = Names(cs, lang, [](const BriefFacts& c) { return !c.has_construction_body; });
  const auto allianceless = Names(cs, lang, [](const BriefFacts& c) { return !c.has_alliance; });
  if (!bodyless.empty() || !allianceless.empty()) {
    std::vector<std::string> parts;
    if (zh) {
      if (!bodyless.empty()) parts.push_back(fmt::format("进一步明确{}的建设主体", ListZhAnd(bodyless)));
      if (!allianceless.empty())
        parts.push_back(fmt::format("推动{}组建产业技术创新战略联盟", ListZhAnd(allianceless)));
      recs.push_back(ListZh(parts, "，") + "，完善产业集群的协同工作机制，强化政策落实和保障服务");
    } else {
      if (!bodyless.empty()) parts.push_back(fmt::format("name the construction body of {}", ListEn(bodyless)));
      if (!allianceless.empty()) {
        parts.push_back(fmt::format("help {} form an industry technology innovation alliance", ListEn(allianceless)));
      }
      recs.push_back(ListEn(parts) + ", improve the clusters' coordination and deliver policy support");
    }
  }
  // 2. Backbone firms lead; technology-based SMEs one tier short cultivated; less reliance on one firm.
  std::vector<std::string> leaders;
  int nearly = 0;
  for (const auto& c : cs) {
    if (!c.backbone_names.empty() && !NoFirms(c)) leaders.push_back(zh ? c.backbone_names[0] : BackboneEn(c, 0));
    nearly += NoFirms(c) ? 0 : c.sme_nearly;
  }
  const auto dependent = Names(cs, lang, [](const BriefFacts& c) { return c.depends_on_one && !NoFirms(c); });
  if (!leaders.empty() || nearly > 0) {
    std::vector<std::string> parts;
    if (zh) {
      if (!leaders.empty()) parts.push_back(fmt::format("充分发挥{}等骨干企业的创新示范作用", ListZh(leaders)));
      if (!dependent.empty()) parts.push_back(fmt::format("降低{}对单一企业的依赖", ListZhAnd(dependent)));
      if (nearly > 0) parts.push_back(fmt::format("加快培育科技型中小企业，重点帮助差一档的{}家企业达标", nearly));
      recs.push_back(ListZh(parts, "，"));
    } else {
      if (!leaders.empty()) {
        parts.push_back(fmt::format("let backbone firms such as {} lead and demonstrate innovation", ListEn(leaders)));
      }
      if (!dependent.empty())
        parts.push_back(fmt::format("reduce the reliance of {} on a single firm", ListEn(dependent)));
      if (nearly > 0) {
        parts.push_back(
            fmt::format("speed up the cultivation of technology-based SMEs, starting with the {} one tier short",
                        nearly == 1 ? std::string("firm") : fmt::format("{} firms", nearly)));
      }
      recs.push_back(ListEn(parts));
    }
  }
  // 3. The flagged problems, cluster by cluster.
  std::vector<std::string> problems;
  for (const auto& c : cs) {
    std::vector<std::string> own;
    for (const char* id : {"talent", "financing", "innovation"}) {
      if (Flagged(c, id)) own.push_back(zh ? ProblemZh(id) : ProblemEn(id));
    }
    if (own.empty()) continue;
    problems.push_back(zh ? c.cluster_name + ListZhAnd(own) : fmt::format("{} in {}", ListEn(own), ClusterEn(c)));
  }
  if (!problems.empty()) {
    recs.push_back(zh ? fmt::format("进一步优化创新创业生态环境，着力解决{}等问题", ListZh(problems))
                      : fmt::format("improve the environment for innovation and start-ups and tackle {}", [&] {
                          std::string j;
                          for (const auto& p : problems) j += (j.empty() ? "" : "; ") + p;
                          return j;
                        }()));
  }
  // 4. Clusters without reports that year.
  const auto no_firms = Names(cs, lang, [](const BriefFacts& c) { return NoFirms(c); });
  if (!no_firms.empty()) {
    recs.push_back(zh ? fmt::format("组织{}的企业按时报送年度统计数据", ListZhAnd(no_firms))
                      : fmt::format("have the firms of {} file their annual statistics", ListEn(no_firms)));
  }
  if (recs.empty()) {
    recs.push_back(zh ? "保持良好发展势头，持续优化创新创业生态环境"
                      : "keep up the momentum and keep improving the environment for innovation");
  }
  if (zh) {
    if (recs.size() == 1) return "针对上述情况，建议" + recs[0] + "。";
    std::string r = fmt::format("针对上述问题，提出{}点工作建议：", CountZh(recs.size()));
    for (size_t i = 0; i < recs.size(); ++i) r += fmt::format("{}{}是{}", i > 0 ? "；" : "", NumberZh(i + 1), recs[i]);
    return r + "。";
  }
  static constexpr const char* kNth[] = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"};
  if (recs.size() == 1) return "In view of this, the recommendation is to " + recs[0] + ".";
  std::string r = fmt::format("In view of these problems, {} recommendations are made: ", NumberEn(recs.size()));
  for (size_t i = 0; i < recs.size() && i < 8; ++i) r += fmt::format("{}{}, {}", i > 0 ? "; " : "", kNth[i], recs[i]);
  return r + ".";
}

}  // namespace

std::vector<std::string> BriefParagraphs(const BriefFacts& facts, Lang lang) {
  return ClusterParagraphs(facts, lang, true);
}

std::string BriefTitle(const BriefFacts& f, Lang lang) {
  if (lang == Lang::kZh) return fmt::format("{}{}年情况简报", f.cluster_name, f.year);
  return fmt::format("{}: briefing for {}", ClusterHeadingEn(f), f.year);
}

BriefDocument BriefDocumentFor(const BriefFacts& facts, Lang lang) {
  BriefDocument doc;
  doc.title = BriefTitle(facts, lang);
  doc.sections.push_back({"", BriefParagraphs(facts, lang), 0});
  return doc;
}

BriefDocument SurveyBrief(const std::vector<BriefFacts>& cs, const SurveyScope& scope, Lang lang) {
  const bool zh = lang == Lang::kZh;
  const int year = scope.year != 0 ? scope.year : (cs.empty() ? 0 : cs.front().year);
  BriefDocument doc;
  if (zh) {
    doc.title = scope.region_zh.empty() ? fmt::format("{}个创新型产业集群{}年调研简报", CountZh(cs.size()), year)
                                        : fmt::format("{}创新型产业集群{}年调研简报", scope.region_zh, year);
  } else {
    doc.title = scope.region_en.empty()
                    ? fmt::format("{} innovation-oriented industrial clusters: survey briefing for {}",
                                  Capitalised(NumberEn(cs.size())), year)
                    : fmt::format("Innovation-oriented industrial clusters in {}: survey briefing for {}",
                                  scope.region_en, year);
  }
  doc.sections.push_back({"", {Opening(cs, scope, lang)}, -1});
  for (size_t i = 0; i < cs.size(); ++i) {
    doc.sections.push_back({zh ? fmt::format("{}、{}", NumberZh(i + 1), cs[i].cluster_name)
                               : fmt::format("{}. {}", i + 1, ClusterHeadingEn(cs[i])),
                            ClusterParagraphs(cs[i], lang, false), static_cast<int>(i)});
  }
  const size_t n = cs.size();
  doc.sections.push_back(
      {zh ? fmt::format("{}、存在的主要问题", NumberZh(n + 1)) : fmt::format("{}. Common problems", n + 1),
       {CommonProblems(cs, lang)},
       -1});
  doc.sections.push_back({zh ? fmt::format("{}、工作建议", NumberZh(n + 2)) : fmt::format("{}. Recommendations", n + 2),
                          {SurveyRecommendations(cs, lang)},
                          -1});
  return doc;
}

}  // namespace clusterscope
