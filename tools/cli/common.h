// What every command of the CLI shares: global options, the one-line failure, opening the
// workspace, printing an answer, parsing years and output formats, and the registry through which each command file
// adds its subcommand. A command lives in its own file (qualify_cmd.cpp, …) and registers itself
// from main() with one Add…Command call.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "clusterscope/lang.h"
#include "clusterscope/status.h"
#include "clusterscope/workspace.h"
#include "output.h"

namespace clusterscope::cli {

struct Globals {
  std::string db;
  std::string lang_name;
  Lang lang = Lang::kEn;
  bool db_given = false;
};

// ./clusterscope.db unless $CLUSTERSCOPE_DB says otherwise.
std::string DefaultDb();

// Prints one clear line saying what failed and where; returns the exit code cli.md assigns.
int Fail(const Globals& g, const Status& status);

// The workspace on --db for reading (the database must exist at this build's schema version).
Result<std::unique_ptr<Workspace>> OpenWorkspace(const Globals& g);

// An answer on stdout as `format` renders it, its notes first on stderr. Returns 0.
int Emit(const Answer& answer, Format format);

// Each warning as one line on stderr ("clusterscope: warning: …").
void PrintWarnings(const Globals& g, const std::vector<std::string>& warnings);

// What no output of a command may replace: the database's files and the command's inputs.
std::vector<std::string> Guarded(const Globals& g, const std::vector<std::string>& inputs = {});

// Walks every subcommand of `app` and range-checks (kMinYear…kMaxYear) each `--year` and `--years`
// option, so that every command refuses a year outside 1900–2100 as a usage error naming the flag.
void CheckYearOptions(CLI::App& app);

// "2010-2014" → {2010, 2014}; kUsage outside 1900–2100.
Result<std::pair<int, int>> ParseYears(const std::string& text);

// "table" | "json" | "csv"; empty = table on a terminal, JSON when piped.
Format ParseFormat(const std::string& f);

// A subcommand added by a command file: `run` is called when it was parsed.
struct Command {
  CLI::App* sub = nullptr;
  std::function<int(const Globals&)> run;
};
using Commands = std::vector<Command>;

// Adds `--format table|json|csv` to a subcommand.
void AddFormatOption(CLI::App* sub, std::string& format);

}  // namespace clusterscope::cli
