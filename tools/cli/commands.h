// The subcommands that live in files of their own; each adds itself to `app` and to `commands`.
#pragma once

#include <CLI/CLI.hpp>

#include "common.h"

namespace clusterscope::cli {

// qualify tech-sme|high-tech (qualify_cmd.cpp)
void AddQualifyCommand(CLI::App& app, Commands& commands);
// diagnose (diagnose_cmd.cpp)
void AddDiagnoseCommand(CLI::App& app, Commands& commands);
// evaluate --scheme NAME|FILE --year Y [--format F] [--list-schemes] (evaluate_cmd.cpp).
void AddEvaluateCommand(CLI::App& app, Commands& commands);
// brief (brief_cmd.cpp)
void AddBriefCommand(CLI::App& app, Commands& commands);
// export (export_cmd.cpp)
void AddExportCommand(CLI::App& app, Commands& commands);
// specialisation …, agglomeration kd|m … (place_cmd.cpp)
void AddPlaceCommands(CLI::App& app, Commands& commands);
// copy --to URL (copy_cmd.cpp)
void AddCopyCommand(CLI::App& app, Commands& commands);

// serve (serve_cmd.cpp)
void AddServeCommand(CLI::App& app, Commands& commands);
// users add|list|disable|enable|password|token (users_cmd.cpp)
void AddUsersCommand(CLI::App& app, Commands& commands);

}  // namespace clusterscope::cli
