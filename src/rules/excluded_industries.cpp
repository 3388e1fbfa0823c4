// The R&D super-deduction negative list (财税〔2015〕119号, referred to by rules.md §2 condition 3)
// mapped to GB/T 4754-2017 divisions. Kept as a table so next year's list is a data change.
#include "clusterscope/rules.h"

namespace clusterscope {

const std::vector<ExcludedIndustry>& TechSmeExcludedIndustries() {
  static const std::vector<ExcludedIndustry> kList = {
      {"16", "烟草制品业", "tobacco manufacturing"},
      {"51", "批发业", "wholesale"},
      {"52", "零售业", "retail"},
      {"61", "住宿业", "accommodation"},
      {"62", "餐饮业", "catering"},
      {"70", "房地产业", "real estate"},
      {"71", "租赁业", "leasing"},
      {"72", "商务服务业", "business services"},
      {"90", "娱乐业", "entertainment"},
  };
  return kList;
}

const ExcludedIndustry* FindExcludedIndustry(std::string_view industry_code) {
  // Accept an optional leading section letter ("C2740") as the importer does.
  if (!industry_code.empty() && (industry_code[0] < '0' || industry_code[0] > '9')) industry_code.remove_prefix(1);
  if (industry_code.size() < 2) return nullptr;
  for (const auto& e : TechSmeExcludedIndustries()) {
    if (industry_code.substr(0, 2) == e.division) return &e;
  }
  return nullptr;
}

}  // namespace clusterscope
