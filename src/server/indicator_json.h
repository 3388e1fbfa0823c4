// The rows of an indicators answer as JSON, written straight into a string: what the server sends
// for GET …/indicators (api.cpp). The bytes are those of the ordered_json array of
// IndicatorValueToJson(v) dumped (nlohmann's dump(): no indent, ensure_ascii off), which the
// server built and dumped before, a third of its CPU on a computed answer (docs/performance.md,
// "serve"); tests/e2e/server_test.cpp (IndicatorJson) checks them against that tree byte for byte.
#pragma once

#include <span>
#include <string>

#include "clusterscope/indicators.h"

namespace clusterscope::server {

// Appends "[row,row,…]" for `values` to `out`. False, with `out` then holding a part, for what it
// leaves to the tree: a string that is not valid UTF-8 (dump() throws on it) or a sum of money
// past 2^53 fen (which the tree prints through its decimal text).
bool AppendIndicatorRowsJson(std::string& out, std::span<const IndicatorValue> values);

}  // namespace clusterscope::server
