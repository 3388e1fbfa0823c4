// copy --to URL: the whole --db database into another (SQLite ↔ PostgreSQL). The work and the
// verification are CopyDatabase's (copy.h); this file parses, calls and renders.
#include <fmt/format.h>

#include <iostream>

#include "clusterscope/copy.h"
#include "commands.h"
#include "output.h"

namespace clusterscope::cli {
namespace {

int RunCopy(const Globals& g, const std::string& to) {
  auto outcome = CopyDatabase(g.db, to);
  if (!outcome.ok()) return Fail(g, outcome.status());
  const Lang L = g.lang;
  std::vector<std::vector<std::string>> rows;
  int64_t total = 0;
  for (size_t i = 0; i < outcome->source.size(); ++i) {
    const TableDigest& s = outcome->source[i];
    const TableDigest& t = outcome->target[i];
    total += t.rows;
    const bool same = s.rows == t.rows && s.sha256 == t.sha256;
    rows.push_back(
        {s.table, fmt::format("{}", s.rows), fmt::format("{}", t.rows), t.sha256.substr(0, 16), same ? "✓" : "✗"});
  }
  std::cout << fmt::format("{} {} → {}\n", Pick(L, "已复制", "copied"), outcome->from, outcome->to);
  std::cout << RenderTable({Pick(L, "表", "table").data(), Pick(L, "源行数", "source rows").data(),
                            Pick(L, "目标行数", "target rows").data(), "sha256", Pick(L, "一致", "match").data()},
                           rows);
  std::cout << fmt::format(fmt::runtime(L == Lang::kZh ? "{}行，逐表核对行数与校验和：全部一致。\n"
                                                       : "{} rows; row counts and checksums checked table by table: "
                                                         "all match.\n"),
                           total);
  return 0;
}

}  // namespace

void AddCopyCommand(CLI::App& app, Commands& commands) {
  auto to = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("copy", "copy the whole --db database into another (SQLite ↔ PostgreSQL)");
  sub->add_option("--to", *to, "the database to copy into: a SQLite file path or postgresql://…; it must be empty")
      ->required();
  sub->footer("Example: clusterscope --db zone.db copy --to postgresql://app@dbhost/clusterscope");
  commands.push_back({sub, [to](const Globals& g) { return RunCopy(g, *to); }});
}

}  // namespace clusterscope::cli
