// BriefParagraphs: the facts as formal prose. Each sentence is assembled from clauses so that a
// missing figure drops its clause, and wording follows the data (growth or decline, one firm or
// many, flagged or not).
#include <fmt/format.h>

#include <cmath>

#include "clusterscope/briefing.h"
#include "clusterscope/rules.h"  // Reason: a sentence in both languages

namespace clusterscope {
namespace {

std::string Pct(double v) { return fmt::format("{:.1f}%", v * 100); }

std::string MoneyZh(int64_t fen) {
  const double yuan = static_cast<double>(fen) / 100;
  if (yuan >= 1e8) return fmt::format("{:.1f}亿元", yuan / 1e8);
  return fmt::format("{:.0f}万元", yuan / 1e4);
}

std::string MoneyEn(int64_t fen) {
  const double yuan = static_cast<double>(fen) / 100;
  if (yuan >= 1e9) return fmt::format("{:.1f} billion yuan", yuan / 1e9);
  return fmt::format("{:.1f} million yuan", yuan / 1e6);
}

int Percentile(double p) { return static_cast<int>(std::lround(p * 100)); }

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

// What the data calls for, in both languages: each recommendation is triggered by one fact, so
// the Chinese and English briefs always recommend the same things.
std::vector<Reason> Recommendations(const BriefFacts& f) {
  std::vector<Reason> recs;
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
std::vector<std::string> Chinese(const BriefFacts& f) {
  std::vector<std::string> out;
  const std::string zone = f.zone_name.empty() ? "所在园区" : f.zone_name;

  // The figures, in the report's order.
  std::string p;
  if (f.firm_count) {
    p += fmt::format("目前，{}共有企业{}家", f.cluster_name, *f.firm_count);
    if (f.zone_producing_share) p += fmt::format("，占{}投产企业总数的{}", zone, Pct(*f.zone_producing_share));
    p += "。";
  }
  std::vector<std::string> clauses;
  if (f.gross_output) {
    std::string c = fmt::format("集群企业共实现工业总产值{}", MoneyZh(*f.gross_output));
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
  if (f.firms_over_100m) {
    clauses.push_back(*f.firms_over_100m > 0 ? fmt::format("有{}家集群企业实现工业总产值过亿元", *f.firms_over_100m)
                                             : std::string("尚无集群企业工业总产值过亿元"));
  }
  if (!clauses.empty()) p += fmt::format("{}年，{}。", f.year, ListZh(clauses, "，"));
  if (!p.empty()) out.push_back(std::move(p));

  // The rating, or why there is none (evaluation.md, "Who is rated").
  if (!f.rating && !f.not_rated_zh.empty()) {
    const std::string_view prefix = "不评价：";
    std::string why = f.not_rated_zh;
    if (why.starts_with(prefix)) why = why.substr(prefix.size());
    out.push_back(fmt::format("按“年度评价”方案，集群{}年不参加评价（{}）。", f.year, why));
  }
  if (f.rating) {
    const auto& r = *f.rating;
    const std::string scheme_zh = r.scheme_zh.empty() ? r.scheme : r.scheme_zh;
    std::string s;
    if (r.grade.empty() && !r.expert_included) {  // a preliminary data score: no grade (evaluation.md)
      s = fmt::format("按“{}”方案，集群{}年初评得分{:.1f}，待专家复评后定级", scheme_zh, f.year, r.score);
      if (r.rank > 0) s += fmt::format("，在{}个初评集群中居第{}位", r.of, r.rank);
      s += "。";
    } else {
      s = fmt::format("按“{}”方案，集群{}年得分{:.1f}分", scheme_zh, f.year, r.score);
      if (!r.grade.empty()) s += fmt::format("，评为“{}”", r.grade);
      if (r.rank > 0) s += fmt::format("，在{}个集群中居第{}位", r.of, r.rank);
      s += r.expert_included ? "（含专家评审得分）。" : "（仅为数据得分，尚未计入专家评审）。";
    }
    out.push_back(std::move(s));
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
          (i.less_is_better ? high : inds)
              .push_back(fmt::format("{}{}（第{}百分位）", i.zh, i.value_zh, Percentile(i.percentile)));
        }
        std::string weak = inds.empty() ? "" : "，" + ListZh(inds) + "偏低";
        if (!high.empty()) weak += "，" + ListZh(high) + "偏高";
        details.push_back(fmt::format("{}处于全部集群第{}百分位{}", d.zh, Percentile(d.percentile), weak));
      } else if (d.percentile >= 0.75) {
        strengths.push_back(fmt::format("{}（第{}百分位）", d.zh, Percentile(d.percentile)));
      }
    }
    std::string s;
    if (!problems.empty()) {
      s = fmt::format("诊断显示，集群存在{}的问题：{}。", ListZh(problems), ListZh(details, "；"));
    } else if (weakest != nullptr) {
      s = fmt::format("诊断显示，集群人才、融资和创新能力均未处于全部集群的后四分之一，相对薄弱的是{}（第{}百分位）",
                      weakest->zh, Percentile(weakest->percentile));
      if (!weakest->behind.empty()) {
        const auto& i = weakest->behind.front();
        s += fmt::format("，主要是{}{}（第{}百分位）", i.zh, i.value_zh, Percentile(i.percentile));
      }
      s += "。";
    }
    if (!strengths.empty()) s += fmt::format("{}相对较强。", ListZh(strengths));
    if (!s.empty()) out.push_back(std::move(s));
  }

  // Backbone firms and the pipeline.
  std::string b;
  if (!f.backbone_names.empty()) {
    std::vector<std::string> names(f.backbone_names.begin(),
                                   f.backbone_names.begin() + std::min<size_t>(3, f.backbone_names.size()));
    b = names.size() == 1 ? fmt::format("{}是集群的骨干企业", names[0])
                          : fmt::format("{}等骨干企业发挥引领作用", ListZh(names));
    if (f.top3_share && names.size() > 1) b += fmt::format("，前三家企业工业总产值占集群的{}", Pct(*f.top3_share));
    if (f.depends_on_one && f.largest_share) {
      b += names.size() == 1
               ? fmt::format("，一家即占集群工业总产值的{}，集群对单一企业依赖较重", Pct(*f.largest_share))
               : fmt::format("，其中{}一家即占{}，集群对单一企业依赖较重", names[0], Pct(*f.largest_share));
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

  // Recommendations, from what the data shows.
  std::vector<std::string> recs;
  for (const Reason& r : Recommendations(f)) recs.push_back(r.zh);
  static const char* kNth[] = {"一", "二", "三", "四", "五", "六", "七", "八"};
  std::string r = recs.size() == 1 ? "建议：" + recs[0] : std::string("建议：");
  if (recs.size() > 1) {
    for (size_t i = 0; i < recs.size() && i < 8; ++i) r += fmt::format("{}{}是{}", i > 0 ? "；" : "", kNth[i], recs[i]);
  }
  out.push_back(r + "。");
  return out;
}

// ---------------------------------------------------------------- English
std::string Firms(int64_t n) { return n == 1 ? "one firm" : fmt::format("{} firms", n); }

std::vector<std::string> English(const BriefFacts& f) {
  std::vector<std::string> out;
  const std::string zone = f.zone_name.empty() ? "its zone" : f.zone_name;
  const std::string name = f.cluster_name.empty() ? f.cluster_id : f.cluster_name;

  std::string p;
  if (f.firm_count) {
    p += fmt::format("{} ({}) now has {}", name, f.cluster_id, Firms(*f.firm_count));
    if (f.zone_producing_share) {
      p += fmt::format(", {} of the producing firms in {}", Pct(*f.zone_producing_share), zone);
    }
    p += ".";
  }
  if (f.gross_output) {
    std::string s =
        fmt::format(" In {}, its firms produced gross industrial output of {}", f.year, MoneyEn(*f.gross_output));
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
  if (f.firms_over_100m) {
    const int64_t k = *f.firms_over_100m;
    if (last.empty()) {
      last = k == 0   ? std::string("None of its firms had output of 100 million yuan or more yet")
             : k == 1 ? std::string("One of its firms had output of 100 million yuan or more")
                      : fmt::format("It had {} firms with output of 100 million yuan or more", k);
    } else {
      last += k == 0   ? std::string(", and no firm had output of 100 million yuan or more yet")
              : k == 1 ? std::string(", and one firm had output of 100 million yuan or more")
                       : fmt::format(", and {} firms had output of 100 million yuan or more", k);
    }
  }
  if (!last.empty()) p += " " + last + ".";
  if (!p.empty()) out.push_back(p[0] == ' ' ? p.substr(1) : p);

  if (!f.rating && !f.not_rated_en.empty()) {
    const std::string_view prefix = "not rated: ";
    std::string why = f.not_rated_en;
    if (why.starts_with(prefix)) why = why.substr(prefix.size());
    out.push_back(fmt::format("Under the annual evaluation scheme the cluster is not rated for {}: {}.", f.year, why));
  }
  if (f.rating) {
    const auto& r = *f.rating;
    std::string grade_en = r.grade == "优秀"     ? "excellent"
                           : r.grade == "良好"   ? "good"
                           : r.grade == "合格"   ? "pass"
                           : r.grade == "不合格" ? "fail"
                                                 : "";
    std::string s;
    if (r.grade.empty() && !r.expert_included) {  // a preliminary data score: no grade
      s = fmt::format(
          "Under the {} scheme the cluster's preliminary data score for {} is {:.1f}, to be graded after "
          "the expert review",
          r.scheme_en.empty() ? r.scheme : r.scheme_en, f.year, r.score);
      if (r.rank > 0) s += fmt::format(", {} of {} clusters on preliminary scores", EnglishOrdinal(r.rank), r.of);
      s += ".";
    } else {
      s = fmt::format("Under the {} scheme the cluster scored {:.1f} for {}",
                      r.scheme_en.empty() ? r.scheme : r.scheme_en, r.score, f.year);
      if (!r.grade.empty()) s += fmt::format(", rated {} ({})", grade_en.empty() ? r.grade : grade_en, r.grade);
      if (r.rank > 0) s += fmt::format(", {} of {} clusters", EnglishOrdinal(r.rank), r.of);
      s += r.expert_included ? ", expert review included." : ", on the data alone (no expert review scores yet).";
    }
    out.push_back(std::move(s));
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
          inds.push_back(
              fmt::format("{} of {} ({} percentile)", i.en, i.value_en, EnglishOrdinal(Percentile(i.percentile))));
        }
        details.push_back(fmt::format("{} is at the {} percentile of all clusters{}", d.en,
                                      EnglishOrdinal(Percentile(d.percentile)),
                                      inds.empty() ? "" : ", with " + ListEn(inds)));
      } else if (d.percentile >= 0.75) {
        strengths.push_back(fmt::format("{} ({} percentile)", d.en, EnglishOrdinal(Percentile(d.percentile))));
      }
    }
    std::string s;
    if (!problems.empty()) {
      std::string joined;
      for (const auto& d : details) joined += (joined.empty() ? "" : "; ") + d;
      s = fmt::format("The diagnosis finds {}: {}.", ListEn(problems), joined);
    } else if (weakest != nullptr) {
      s = fmt::format(
          "None of talent, financing and innovation capability is in the bottom quarter of all clusters; the "
          "weakest is {} ({} percentile)",
          weakest->en, EnglishOrdinal(Percentile(weakest->percentile)));
      if (!weakest->behind.empty()) {
        const auto& i = weakest->behind.front();
        s += fmt::format(", held down by its {} of {}", i.en, i.value_en);
      }
      s += ".";
    }
    if (!strengths.empty()) s += fmt::format(" It is comparatively strong in {}.", ListEn(strengths));
    if (!s.empty()) out.push_back(s[0] == ' ' ? s.substr(1) : s);
  }

  std::string b;
  if (!f.backbone_names.empty()) {
    std::vector<std::string> names(f.backbone_names.begin(),
                                   f.backbone_names.begin() + std::min<size_t>(3, f.backbone_names.size()));
    b = names.size() == 1 ? fmt::format("{} is the cluster's backbone firm", names[0])
                          : fmt::format("Backbone firms such as {} lead the cluster", ListEn(names));
    if (f.top3_share && names.size() > 1) b += fmt::format("; the top three make {} of its output", Pct(*f.top3_share));
    if (f.depends_on_one && f.largest_share) {
      b += names.size() == 1 ? fmt::format(" and makes {} of its output, so the cluster leans heavily on one firm",
                                           Pct(*f.largest_share))
                             : fmt::format(", and {} alone makes {}, so the cluster leans heavily on one firm",
                                           names[0], Pct(*f.largest_share));
    }
    b += ". ";
  }
  b += !f.sme_applicable
           ? std::string("The technology-based SME evaluation scheme began in 2017 and does not apply to that year")
       : f.sme_qualifying == 0 ? std::string("No firm in the cluster qualifies as a technology-based SME yet")
       : f.sme_qualifying == 1
           ? std::string("Within the cluster, one firm qualifies as a technology-based SME")
           : fmt::format("Within the cluster, {} firms qualify as technology-based SMEs", f.sme_qualifying);
  if (f.sme_nearly > 0) {
    b += fmt::format("; {} {} one tier short", f.sme_nearly == 1 ? "one more" : fmt::format("{} more", f.sme_nearly),
                     f.sme_nearly == 1 ? "is" : "are");
    if (f.nearly_name) b += fmt::format(" (for example {} — {})", *f.nearly_name, f.nearly_gap_en);
  }
  if (f.high_tech_candidates > 0) {
    b += fmt::format("; {} without a high-tech certificate {} every high-tech criterion the statistics can check",
                     Firms(f.high_tech_candidates), f.high_tech_candidates == 1 ? "meets" : "meet");
  }
  b += ".";
  out.push_back(std::move(b));

  std::vector<std::string> recs;
  for (const Reason& r : Recommendations(f)) recs.push_back(r.en);
  static const char* kNth[] = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"};
  std::string r = "Recommendations: ";
  if (recs.size() == 1) {
    r += recs[0];
  } else {
    for (size_t i = 0; i < recs.size() && i < 8; ++i) r += fmt::format("{}{}, {}", i > 0 ? "; " : "", kNth[i], recs[i]);
  }
  out.push_back(r + ".");
  return out;
}

}  // namespace

std::vector<std::string> BriefParagraphs(const BriefFacts& facts, Lang lang) {
  return lang == Lang::kZh ? Chinese(facts) : English(facts);
}

}  // namespace clusterscope
