// docs/indicators.md and the registry must agree: every indicator documented with its labels,
// unit and formula, and nothing documented that the registry lacks.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "clusterscope/indicators.h"

namespace clusterscope {
namespace {

TEST(IndicatorDocs, EveryRegistryEntryIsDocumentedAsItIs) {
  std::ifstream in(std::string(CS_SOURCE_DIR) + "/docs/indicators.md");
  ASSERT_TRUE(in) << "docs/indicators.md missing";
  std::set<std::string> documented;
  std::string line;
  std::map<std::string, std::string> rows;
  while (std::getline(in, line)) {
    if (!line.starts_with("| `")) continue;
    std::string id = line.substr(3, line.find('`', 3) - 3);
    documented.insert(id);
    rows[id] = line;
  }
  for (const IndicatorInfo& info : IndicatorCatalogue()) {
    std::string id(info.id);
    ASSERT_TRUE(rows.contains(id)) << id << " is not in docs/indicators.md";
    const std::string& row = rows[id];
    std::string formula(info.formula);
    size_t pos = 0;
    while ((pos = formula.find('|', pos)) != std::string::npos) {
      formula.replace(pos, 1, "\\|");
      pos += 2;
    }
    for (std::string want : {std::string(info.zh), std::string(info.en), std::string(UnitId(info.unit)),
                             std::string(DirectionId(info.direction)), formula}) {
      EXPECT_NE(row.find("| " + want + " |"), std::string::npos) << id << ": docs row lacks \"" << want << "\"\n"
                                                                 << row;
    }
    documented.erase(id);
  }
  for (const std::string& extra : documented) {
    if (extra == "no_firms" || extra == "not_reported" || extra == "zero_denominator" || extra == "no_base_year" ||
        extra == "not_applicable") {
      continue;  // the null-reason table
    }
    ADD_FAILURE() << extra << " is documented but not in the registry";
  }
}

}  // namespace
}  // namespace clusterscope
