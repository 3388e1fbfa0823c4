// Shared pieces of the CLI; see common.h.
#include "common.h"

#include <unistd.h>

#include <fmt/format.h>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "clusterscope/output_file.h"
#include "clusterscope/workspace.h"
#include "clusterscope/years.h"

namespace clusterscope::cli {

std::string DefaultDb() {
  const char* env = std::getenv("CLUSTERSCOPE_DB");
  return env != nullptr && *env != '\0' ? env : "clusterscope.db";
}

// One clear line saying what failed and where, then the exit code cli.md assigns.
int Fail(const Globals& g, const Status& status) {
  std::string_view what;
  switch (ExitCodeFor(status)) {
    case 1:
      what = Pick(g.lang, "输入被拒绝", "refused");
      break;
    case 2:
      what = Pick(g.lang, "用法错误", "usage error");
      break;
    default:
      what = Pick(g.lang, "环境错误", "environment error");
      break;
  }
  // The stable id in brackets, as import problems show their rule: scripts can match on it.
  std::cerr << "clusterscope: " << what << " [" << status.id() << "]: " << status.message() << "\n";
  return ExitCodeFor(status);
}

Result<std::unique_ptr<Workspace>> OpenWorkspace(const Globals& g) {
  return Workspace::Open(g.db, WorkspaceMode::kRead);
}

int Emit(const Answer& answer, Format format) {
  for (const std::string& note : answer.notes) std::cerr << note << "\n";
  std::cout << Render(answer, format);
  return 0;
}

void PrintWarnings(const Globals& g, const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings) {
    std::cerr << "clusterscope: " << Pick(g.lang, "警告", "warning") << ": " << w << "\n";
  }
}

std::vector<std::string> Guarded(const Globals& g, const std::vector<std::string>& inputs) {
  std::vector<std::string> out = DatabaseFiles(g.db);
  out.insert(out.end(), inputs.begin(), inputs.end());
  return out;
}

// "2010-2014" → {2010, 2014}, each within kMinYear…kMaxYear.
Result<std::pair<int, int>> ParseYears(const std::string& text) {
  int from = 0;
  int to = 0;
  char dash = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%9d%c%9d%c", &from, &dash, &to, &tail) != 3 || dash != '-' || from > to) {
    return Status::Usage("--years takes A-B, e.g. 2010-2014, not \"" + text + "\"");
  }
  CS_RETURN_IF_ERROR(CheckYearRange(from, to, "--years"));
  return std::pair{from, to};
}

Format ParseFormat(const std::string& f) {
  if (f == "json") return Format::kJson;
  if (f == "csv") return Format::kCsv;
  if (f == "table") return Format::kTable;
  return isatty(STDOUT_FILENO) != 0 ? Format::kTable : Format::kJson;
}

void AddFormatOption(CLI::App* sub, std::string& format) {
  sub->add_option("--format", format, "table | json | csv (default: table on a terminal, json otherwise)")
      ->check(CLI::IsMember({"table", "json", "csv"}));
}

}  // namespace clusterscope::cli

namespace clusterscope::cli {

void CheckYearOptions(CLI::App& app) {
  const CLI::Validator years(
      [](std::string& text) -> std::string {
        auto parsed = ParseYears(text);
        return parsed.ok() ? std::string() : parsed.status().message();
      },
      "A-B", "years");
  const CLI::Range year(kMinYear, kMaxYear);
  for (CLI::App* sub : app.get_subcommands(std::function<bool(CLI::App*)>())) {
    for (CLI::Option* opt : sub->get_options()) {
      if (opt->check_lname("year")) opt->check(year);
      if (opt->check_lname("years")) opt->check(years);
    }
    CheckYearOptions(*sub);
  }
}

}  // namespace clusterscope::cli
