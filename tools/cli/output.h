// Rendering for the CLI: the library's one renderer (clusterscope/answer.h), under the names the
// command files use.
#pragma once

#include "clusterscope/answer.h"

namespace clusterscope::cli {

using clusterscope::DisplayWidth;
using clusterscope::Format;
using clusterscope::RenderTable;

}  // namespace clusterscope::cli
