// Records as JSON and as text cells: the forms the CLI, the exports and the history table use.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "clusterscope/schema.h"

namespace clusterscope::schema {

// Money for JSON: whole yuan as an integer, otherwise the exact decimal (fen / 100).
nlohmann::ordered_json YuanJson(int64_t fen);

// Exactly what is stored (money in fen), for the history table; round-trips through
// RecordFromStoredJson.
std::string RecordToStoredJson(const KindDef& def, const Record& record);
Record RecordFromStoredJson(const KindDef& def, const std::string& json);

}  // namespace clusterscope::schema
