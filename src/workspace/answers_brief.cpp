// The brief's answer (prose and facts) and its files: HTML, Word, the workbook (workspace.h).
#include "clusterscope/exports.h"
#include "clusterscope/workspace.h"

namespace clusterscope {

BriefDocument BriefDocumentOf(const BriefResult& result, Lang lang) {
  return result.survey ? SurveyBrief(result.facts, result.scope, lang) : BriefDocumentFor(result.facts.front(), lang);
}

Answer BriefAnswer(const BriefResult& result, Lang lang) {
  const BriefDocument doc = BriefDocumentOf(result, lang);
  Answer a;
  nlohmann::ordered_json& j = a.json;
  j["lang"] = lang == Lang::kZh ? "zh" : "en";
  j["title"] = doc.title;
  if (result.survey) {
    nlohmann::ordered_json sections = nlohmann::ordered_json::array();
    for (const BriefSection& sec : doc.sections) {
      sections.push_back({{"heading", sec.heading}, {"paragraphs", sec.paragraphs}});
    }
    j["sections"] = sections;
    j["facts"] = SurveyToJson(result.facts, result.scope);
  } else {
    j["paragraphs"] = doc.sections.front().paragraphs;
    j["facts"] = BriefFactsToJson(result.facts.front());
  }
  // The prose, Chinese paragraphs indented by two full-width spaces as printed briefs are.
  const bool zh = lang == Lang::kZh;
  a.text = doc.title + "\n\n";
  for (const BriefSection& sec : doc.sections) {
    if (!sec.heading.empty()) a.text += sec.heading + "\n\n";
    for (const auto& p : sec.paragraphs) a.text += (zh ? "　　" : "") + p + "\n\n";
  }
  return a;
}

std::string BriefHtmlFile(const BriefResult& result, Lang lang) {
  return BriefHtml(BriefDocumentOf(result, lang), result.facts, result.charts, lang);
}

Result<std::string> BriefDocxFile(const BriefResult& result, Lang lang) {
  return BriefDocx(BriefDocumentOf(result, lang), result.facts, result.charts, lang);
}

Status BriefWorkbookFile(const BriefResult& result, Lang lang, const std::string& path) {
  if (result.survey || result.sources.size() != 1 || result.data == nullptr) {
    return Status::Usage("brief --xlsx takes one cluster; write one workbook per --cluster").WithId("brief.scope");
  }
  return WriteBriefWorkbook(*result.data, result.sources.front(), lang, path);
}

}  // namespace clusterscope
