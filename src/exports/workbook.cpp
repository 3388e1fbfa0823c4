// The briefing workbook and the exports (include/clusterscope/exports.h). Each sheet has one
// writer here, shared by the briefing workbook and `export`.
#include <fmt/format.h>

#include <map>
#include <set>

#include "clusterscope/briefing.h"
#include "clusterscope/diagnosis.h"
#include "clusterscope/evaluation.h"
#include "clusterscope/exports.h"
#include "clusterscope/rules.h"
#include "exports/xlsx_book.h"
#include "indicators/dataset.h"

namespace clusterscope {
namespace {

using exports::Book;
using exports::NumberStyle;
using exports::Sheet;

// How an indicator's unit is shown: the style, the divisor from output units, the unit label.
struct Shown {
  NumberStyle style;
  double divisor;
  std::string_view zh, en;
};

Shown ShownAs(IndicatorUnit unit) {
  switch (unit) {
    case IndicatorUnit::kFirms:
      return {NumberStyle::kInteger, 1, "家", "firms"};
    case IndicatorUnit::kPersons:
      return {NumberStyle::kInteger, 1, "人", "persons"};
    case IndicatorUnit::kItems:
      return {NumberStyle::kInteger, 1, "件", "items"};
    case IndicatorUnit::kYuan:
      return {NumberStyle::kMoney, 1e4, "万元", "10k yuan"};
    case IndicatorUnit::kShare:
    case IndicatorUnit::kGrowth:
      return {NumberStyle::kPercent, 1, "%", "%"};
    case IndicatorUnit::kYuanPerPerson:
      return {NumberStyle::kInteger, 1, "元/人", "yuan per person"};
    case IndicatorUnit::kYuanPerFirm:
      return {NumberStyle::kMoney, 1e4, "万元/家", "10k yuan per firm"};
    case IndicatorUnit::kPer1000:
      return {NumberStyle::kDecimal, 1, "每千人", "per 1,000"};
    case IndicatorUnit::kPer10k:
      return {NumberStyle::kDecimal, 1, "每万人", "per 10,000"};
    case IndicatorUnit::kIndex:
      break;
  }
  return {NumberStyle::kDecimal, 1, "", ""};
}

std::string Label(const IndicatorInfo& info, Lang lang) {
  const Shown s = ShownAs(info.unit);
  const std::string name(lang == Lang::kZh ? info.zh : info.en);
  const std::string_view unit = lang == Lang::kZh ? s.zh : s.en;
  if (unit.empty()) return name;
  return lang == Lang::kZh ? fmt::format("{}（{}）", name, unit) : fmt::format("{} ({})", name, unit);
}

void WriteValue(Sheet& sheet, uint32_t row, uint16_t col, const IndicatorValue& v) {
  if (!v.has_value()) return;
  const Shown s = ShownAs(v.indicator->unit);
  sheet.Number(row, col, *v.AsDouble() / s.divisor, s.style);
}

std::string H(Lang lang, std::string_view zh, std::string_view en) { return std::string(Pick(lang, zh, en)); }

// 指标, by year: one row per indicator, one column per year.
Status WriteIndicatorsByYear(Sheet& sheet, const Dataset& data, const std::string& cluster_id, int year, Lang lang) {
  IndicatorRequest req;
  req.entities = {{EntityKind::kCluster, cluster_id}};
  req.first_year = year - 6;
  req.last_year = year;
  CS_ASSIGN_OR_RETURN(auto values, ComputeIndicators(data, req));
  std::vector<std::string> header = {"id", H(lang, "指标", "indicator")};
  for (int y = req.first_year; y <= year; ++y) header.push_back(std::to_string(y));
  sheet.Header(header);
  std::map<std::string_view, uint32_t> row_of;
  for (const IndicatorInfo& info : IndicatorCatalogue()) {
    const auto row = static_cast<uint32_t>(row_of.size() + 1);
    row_of[info.id] = row;
    sheet.Text(row, 0, info.id);
    sheet.Text(row, 1, Label(info, lang));
  }
  for (const IndicatorValue& v : values) {
    WriteValue(sheet, row_of[v.indicator->id], static_cast<uint16_t>(2 + v.year - req.first_year), v);
  }
  return Status::Ok();
}

// 指标, wide: one row per entity, one column per indicator.
Status WriteIndicatorsWide(Sheet& sheet, const Dataset& data, const std::vector<EntityRef>& entities, int year,
                           Lang lang) {
  IndicatorRequest req;
  req.entities = entities;
  req.first_year = req.last_year = year;
  CS_ASSIGN_OR_RETURN(auto values, ComputeIndicators(data, req));
  std::vector<std::string> header = {H(lang, "类型", "kind"), H(lang, "代码", "id"), H(lang, "名称", "name"),
                                     H(lang, "年份", "year")};
  std::map<std::string_view, uint16_t> col_of;
  for (const IndicatorInfo& info : IndicatorCatalogue()) {
    col_of[info.id] = static_cast<uint16_t>(header.size());
    header.push_back(Label(info, lang));
  }
  sheet.Header(header);
  std::map<std::pair<int, std::string>, uint32_t> row_of;
  for (const IndicatorValue& v : values) {
    const auto key = std::pair{static_cast<int>(v.entity.kind), v.entity.id};
    auto it = row_of.find(key);
    if (it == row_of.end()) {
      const auto row = static_cast<uint32_t>(row_of.size() + 1);
      it = row_of.emplace(key, row).first;
      sheet.Text(row, 0, EntityKindId(v.entity.kind));
      sheet.Text(row, 1, v.entity.id);
      sheet.Text(row, 2, v.entity_name);
      sheet.Number(row, 3, year, NumberStyle::kYear);
    }
    WriteValue(sheet, it->second, col_of[v.indicator->id], v);
  }
  return Status::Ok();
}

// One member firm's key figures.
struct FirmRow {
  std::string cluster_id, uscc, name, role, industry;
  std::optional<int64_t> employees, tech_staff, revenue, gross_output, rd_expense, ip;
  std::string tech_sme, tech_sme_score, high_tech;
};

// `firms`: (cluster or zone id, uscc, role).
Result<std::vector<FirmRow>> ReadFirms(const Dataset& data,
                                       const std::vector<std::tuple<std::string, std::string, std::string>>& firms,
                                       int year, Lang lang) {
  std::vector<std::string> usccs;
  for (const auto& f : firms) usccs.push_back(std::get<1>(f));
  CS_ASSIGN_OR_RETURN(auto histories, LoadFirmHistories(data, usccs, year));
  std::vector<FirmRow> rows;
  for (size_t i = 0; i < firms.size(); ++i) {
    FirmRow row;
    row.cluster_id = std::get<0>(firms[i]);
    row.uscc = std::get<1>(firms[i]);
    row.role = std::get<2>(firms[i]);
    // The register entry and the year's report, as the rules read them: no second read.
    const FirmHistory& h = histories[i];
    row.name = h.name;
    row.industry = h.industry_code;
    if (const YearFacts* y = h.At(year)) {
      row.employees = y->employees;
      row.tech_staff = y->tech_staff;
      row.revenue = y->revenue;
      row.gross_output = y->gross_output;
      row.rd_expense = y->rd_expense;
      if (y->ip_class1 || y->ip_class2) row.ip = y->ip_class1.value_or(0) + y->ip_class2.value_or(0);
    }
    const Qualification sme = EvaluateTechSme(histories[i], year);
    row.tech_sme = std::string(OutcomeWord(sme.result, lang));
    if (sme.nearly) row.tech_sme += Pick(lang, "（差一档）", " (one tier short)");
    row.tech_sme_score = BandText(sme.score);
    const Qualification ht = EvaluateHighTech(histories[i], year);
    row.high_tech = histories[i].CertificateValidIn(year) ? H(lang, "已认定（证书有效）", "certified")
                    : ht.candidate                        ? H(lang, "候选", "candidate")
                                                          : std::string(OutcomeWord(ht.result, lang));
    rows.push_back(std::move(row));
  }
  return rows;
}

void WriteFirms(Sheet& sheet, const std::vector<FirmRow>& rows, bool with_group, Lang lang) {
  std::vector<std::string> header;
  if (with_group) header.push_back(H(lang, "集群/园区", "cluster/zone"));
  const std::vector<std::pair<const char*, const char*>> rest = {{"统一社会信用代码", "USCC"},
                                                                 {"企业名称", "name"},
                                                                 {"角色", "role"},
                                                                 {"行业代码", "industry"},
                                                                 {"从业人员（人）", "employees"},
                                                                 {"科技人员（人）", "tech staff"},
                                                                 {"营业收入（万元）", "revenue (10k yuan)"},
                                                                 {"工业总产值（万元）", "gross output (10k yuan)"},
                                                                 {"研发费用（万元）", "R&D expense (10k yuan)"},
                                                                 {"I、II类知识产权（件）", "class I+II IP"},
                                                                 {"科技型中小企业", "technology-based SME"},
                                                                 {"评价得分", "SME score"},
                                                                 {"高新技术企业", "high-tech enterprise"}};
  for (const auto& [zh, en] : rest) header.push_back(H(lang, zh, en));
  sheet.Header(header);
  const auto money = [](const std::optional<int64_t>& fen) -> std::optional<double> {
    if (!fen) return std::nullopt;
    return static_cast<double>(*fen) / 1e6;  // fen → 万元
  };
  const auto count = [](const std::optional<int64_t>& n) -> std::optional<double> {
    if (!n) return std::nullopt;
    return static_cast<double>(*n);
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    const FirmRow& r = rows[i];
    const auto row = static_cast<uint32_t>(i + 1);
    uint16_t c = 0;
    if (with_group) sheet.Text(row, c++, r.cluster_id);
    sheet.Text(row, c++, r.uscc);
    sheet.Text(row, c++, r.name);
    sheet.Text(row, c++, r.role == "backbone" ? H(lang, "骨干", "backbone") : H(lang, "成员", "member"));
    sheet.Text(row, c++, r.industry);
    sheet.Number(row, c++, count(r.employees), NumberStyle::kInteger);
    sheet.Number(row, c++, count(r.tech_staff), NumberStyle::kInteger);
    sheet.Number(row, c++, money(r.revenue), NumberStyle::kMoney);
    sheet.Number(row, c++, money(r.gross_output), NumberStyle::kMoney);
    sheet.Number(row, c++, money(r.rd_expense), NumberStyle::kMoney);
    sheet.Number(row, c++, count(r.ip), NumberStyle::kInteger);
    sheet.Text(row, c++, r.tech_sme);
    sheet.Text(row, c++, r.tech_sme_score);
    sheet.Text(row, c++, r.high_tech);
  }
}

// 评价: one row per cluster of the evaluation (all, or those in `only`).
void WriteEvaluation(Sheet& sheet, const EvaluationResult& result, const std::set<std::string>& only, Lang lang) {
  std::vector<std::string> header = {H(lang, "排名", "rank"),           H(lang, "集群代码", "cluster"),
                                     H(lang, "集群名称", "name"),       H(lang, "企业数", "firms"),
                                     H(lang, "得分", "score"),          H(lang, "等级", "grade"),
                                     H(lang, "数据得分", "data score"), H(lang, "专家评分", "expert score")};
  std::vector<std::string> dims;
  for (const auto& c : result.clusters) {
    for (const auto& d : c.dimensions) {
      if (std::find(dims.begin(), dims.end(), d.id) == dims.end()) {
        dims.push_back(d.id);
        header.push_back(lang == Lang::kZh ? d.zh : d.en);
      }
    }
  }
  header.push_back(H(lang, "说明", "reason"));
  sheet.Header(header);
  uint32_t row = 0;
  for (const auto& c : result.clusters) {
    if (!only.empty() && only.count(c.cluster_id) == 0) continue;
    ++row;
    sheet.Number(row, 0, c.rank ? std::optional<double>(*c.rank) : std::nullopt, NumberStyle::kInteger);
    sheet.Text(row, 1, c.cluster_id);
    sheet.Text(row, 2, c.name);
    sheet.Number(row, 3, c.firm_count, NumberStyle::kInteger);
    sheet.Number(row, 4, c.score, NumberStyle::kDecimal);
    sheet.Text(row, 5, lang == Lang::kZh ? c.grade_zh : c.grade_en);
    sheet.Number(row, 6, c.data_score, NumberStyle::kDecimal);
    sheet.Number(row, 7, c.expert_score, NumberStyle::kDecimal);
    for (const auto& d : c.dimensions) {
      const auto col = static_cast<uint16_t>(8 + (std::find(dims.begin(), dims.end(), d.id) - dims.begin()));
      sheet.Number(row, col, d.score, NumberStyle::kDecimal);
    }
    sheet.Text(row, static_cast<uint16_t>(8 + dims.size()), lang == Lang::kZh ? c.reason_zh : c.reason_en);
  }
}

void WriteDiagnosis(Sheet& sheet, const Diagnosis& d, Lang lang) {
  sheet.Header({H(lang, "项目", "item"), H(lang, "名称", "name"), H(lang, "数值", "value"),
                H(lang, "全部集群百分位", "percentile, all"), H(lang, "同行业百分位", "percentile, industry"),
                H(lang, "标记", "flag"), H(lang, "说明", "note")});
  uint32_t row = 0;
  for (const auto& dim : d.dimensions) {
    ++row;
    sheet.Text(row, 0, H(lang, "维度", "dimension"));
    sheet.Text(row, 1, lang == Lang::kZh ? dim.zh : dim.en);
    sheet.Number(row, 3, dim.percentile_all, NumberStyle::kPercent);
    sheet.Number(row, 4, dim.percentile_industry, NumberStyle::kPercent);
    if (dim.flagged) sheet.Text(row, 5, H(lang, "后四分之一", "bottom quarter"));
    sheet.Text(row, 6, dim.text.In(lang));
    for (const auto& i : dim.indicators) {
      ++row;
      sheet.Text(row, 0, H(lang, "指标", "indicator"));
      sheet.Text(row, 1, lang == Lang::kZh ? i.zh : i.en);
      sheet.Text(row, 2, FormatDiagnosisValue(i, lang));
      sheet.Number(row, 3, i.percentile_all, NumberStyle::kPercent);
      sheet.Number(row, 4, i.percentile_industry, NumberStyle::kPercent);
      if (i.low) sheet.Text(row, 5, WeakWord(i, lang));  // 偏低, or 偏高 where less is better
    }
  }
  for (const auto& b : d.backbone) {
    ++row;
    sheet.Text(row, 0, H(lang, "骨干企业", "backbone firm"));
    sheet.Text(row, 1, b.name);
    sheet.Number(row, 2, b.output_share, NumberStyle::kPercent);
    sheet.Text(row, 6, H(lang, "产值占比", "share of output"));
  }
  ++row;
  sheet.Text(row, 0, H(lang, "依赖度", "dependence"));
  sheet.Text(row, 6, d.backbone_text.In(lang));
  const auto pipeline = [&](const std::vector<PipelineEntry>& entries, std::string_view label) {
    for (const auto& e : entries) {
      ++row;
      sheet.Text(row, 0, label);
      sheet.Text(row, 1, e.name);
      sheet.Text(row, 6, e.qualification.verdict.In(lang));
    }
  };
  pipeline(d.sme_qualifying, Pick(lang, "科技型中小企业：符合", "tech SME: qualifies"));
  pipeline(d.sme_nearly, Pick(lang, "科技型中小企业：差一档", "tech SME: one tier short"));
  pipeline(d.high_tech_candidates, Pick(lang, "高新技术企业：候选", "high-tech: candidate"));
  pipeline(d.high_tech_nearly, Pick(lang, "高新技术企业：差一项", "high-tech: one criterion short"));
  ++row;
  sheet.Text(row, 0, H(lang, "协同机制", "coordination"));
  sheet.Text(row, 6, d.coordination_text.In(lang));
}

void WriteSummary(Sheet& sheet, const BriefFacts& f, Lang lang) {
  sheet.Header({H(lang, "项目", "item"), H(lang, "数值", "value")});
  uint32_t row = 0;
  const auto text = [&](std::string_view k, const std::string& v) {
    ++row;
    sheet.Text(row, 0, k);
    sheet.Text(row, 1, v);
  };
  const auto number = [&](std::string_view k, std::optional<double> v, NumberStyle s) {
    ++row;
    sheet.Text(row, 0, k);
    sheet.Number(row, 1, v, s);
  };
  const auto opt = [](const auto& v) -> std::optional<double> {
    if (!v) return std::nullopt;
    return static_cast<double>(*v);
  };
  text(Pick(lang, "集群", "cluster"), f.cluster_name);
  text(Pick(lang, "集群代码", "cluster id"), f.cluster_id);
  text(Pick(lang, "所在园区", "zone"), f.zone_name);
  number(Pick(lang, "年份", "year"), f.year, NumberStyle::kYear);
  number(Pick(lang, "集群企业数（家）", "firms"), opt(f.firm_count), NumberStyle::kInteger);
  number(Pick(lang, "占园区投产企业比重", "share of the zone's producing firms"), f.zone_producing_share,
         NumberStyle::kPercent);
  number(Pick(lang, "工业总产值（亿元）", "gross output (100 million yuan)"),
         f.gross_output ? std::optional<double>(static_cast<double>(*f.gross_output) / 1e10) : std::nullopt,
         NumberStyle::kMoney);
  number(Pick(lang, "工业总产值同比增长", "gross output growth"), f.gross_output_growth, NumberStyle::kPercent);
  number(Pick(lang, "占园区工业总产值比重", "share of the zone's gross output"), f.zone_output_share,
         NumberStyle::kPercent);
  number(Pick(lang, "主导产业增加值占比", "leading industries' share of value added"), f.leading_va_share,
         NumberStyle::kPercent);
  number(Pick(lang, "产值过亿元企业数（家）", "firms with output ≥ 100 million yuan"), opt(f.firms_over_100m),
         NumberStyle::kInteger);
  if (f.rating) {
    number(Pick(lang, "年度评价得分", "annual evaluation score"), f.rating->score, NumberStyle::kDecimal);
    text(Pick(lang, "等级", "grade"), f.rating->grade);
    number(Pick(lang, "排名", "rank"), f.rating->rank, NumberStyle::kInteger);
  }
  ++row;
  for (const std::string& p : BriefParagraphs(f, lang)) {
    ++row;
    sheet.Text(row, 0, Pick(lang, "简报", "briefing"));
    sheet.Text(row, 1, p, true);
  }
}

}  // namespace

Status WriteBriefWorkbook(const Dataset& data, const BriefSources& sources, Lang lang, const std::string& path) {
  const std::string& cluster_id = sources.facts.cluster_id;
  const int year = sources.facts.year;
  CS_ASSIGN_OR_RETURN(auto members, ClusterMembersIn(data, cluster_id, year));
  std::vector<std::tuple<std::string, std::string, std::string>> firms;
  for (const auto& [uscc, backbone] : members) firms.emplace_back(cluster_id, uscc, backbone ? "backbone" : "member");
  CS_ASSIGN_OR_RETURN(auto firm_rows, ReadFirms(data, firms, year, lang));

  CS_ASSIGN_OR_RETURN(Book book, Book::Create(path));
  WriteSummary(book.AddSheet("概况"), sources.facts, lang);
  CS_RETURN_IF_ERROR(WriteIndicatorsByYear(book.AddSheet("指标"), data, cluster_id, year, lang));
  WriteFirms(book.AddSheet("企业"), firm_rows, false, lang);
  Sheet& eval_sheet = book.AddSheet("评价");
  if (sources.evaluation) {
    WriteEvaluation(eval_sheet, *sources.evaluation, {}, lang);
  } else {
    eval_sheet.Header({H(lang, "说明", "note")});
    eval_sheet.Text(1, 0, sources.evaluation_error);
  }
  Sheet& diag_sheet = book.AddSheet("诊断");
  if (sources.diagnosis) {
    WriteDiagnosis(diag_sheet, *sources.diagnosis, lang);
  } else {
    diag_sheet.Header({H(lang, "说明", "note")});
    diag_sheet.Text(1, 0, sources.diagnosis_error);
  }
  return book.Close();
}

Status ExportWorkbook(const Dataset& data, const ExportRequest& request, Lang lang, const std::string& path) {
  std::vector<EntityRef> entities = request.entities;
  if (entities.empty()) entities = AllEntities(data, EntityKind::kCluster);
  switch (request.kind) {
    case ExportKind::kIndicators: {
      CS_ASSIGN_OR_RETURN(Book book, Book::Create(path));
      CS_RETURN_IF_ERROR(WriteIndicatorsWide(book.AddSheet("指标"), data, entities, request.year, lang));
      return book.Close();
    }
    case ExportKind::kFirms: {
      std::vector<std::tuple<std::string, std::string, std::string>> firms;
      for (const EntityRef& e : entities) {
        if (e.kind == EntityKind::kCluster) {
          CS_ASSIGN_OR_RETURN(auto members, ClusterMembersIn(data, e.id, request.year));
          for (const auto& [uscc, backbone] : members) firms.emplace_back(e.id, uscc, backbone ? "backbone" : "member");
        } else if (e.kind == EntityKind::kZone) {
          // The zone's registered firms, in credit-code order (as the register lists them).
          bool any = false;
          if (auto z = data.zone_index.find(e.id); z != data.zone_index.end()) {
            for (int32_t firm : data.zones[static_cast<size_t>(z->second)].firms) {
              firms.emplace_back(e.id, data.firms[static_cast<size_t>(firm)].uscc, "member");
              any = true;
            }
          }
          if (!any)
            return Status::NotFound(fmt::format("zone {} has no registered firms (or is not in the register)", e.id));
        } else {
          return Status::Usage("export firms takes clusters or zones");
        }
      }
      CS_ASSIGN_OR_RETURN(auto rows, ReadFirms(data, firms, request.year, lang));
      CS_ASSIGN_OR_RETURN(Book book, Book::Create(path));
      WriteFirms(book.AddSheet("企业"), rows, true, lang);
      return book.Close();
    }
    case ExportKind::kEvaluation: {
      CS_ASSIGN_OR_RETURN(Scheme scheme, LoadScheme(request.scheme, lang));
      CS_ASSIGN_OR_RETURN(EvaluationInput input, GatherEvaluationInput(data, scheme, request.year));
      CS_ASSIGN_OR_RETURN(EvaluationResult result, Evaluate(scheme, input));
      std::set<std::string> only;
      for (const EntityRef& e : request.entities) {
        if (e.kind != EntityKind::kCluster) return Status::Usage("export evaluation takes clusters");
        only.insert(e.id);
      }
      CS_ASSIGN_OR_RETURN(Book book, Book::Create(path));
      WriteEvaluation(book.AddSheet("评价"), result, only, lang);
      return book.Close();
    }
  }
  return Status::Internal("unknown export kind");
}

}  // namespace clusterscope
