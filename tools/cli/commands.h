// The subcommands that live in files of their own; each adds itself to `app` and to `commands`.
#pragma once

#include <CLI/CLI.hpp>

#include "common.h"

namespace clusterscope::cli {

// evaluate --scheme NAME|FILE --year Y [--format F] [--list-schemes] (evaluate_cmd.cpp).
void AddEvaluateCommand(CLI::App& app, Commands& commands);

}  // namespace clusterscope::cli
