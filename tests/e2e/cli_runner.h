// Running the clusterscope binary from tests: exit code, stdout and stderr, separately.
#pragma once

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace clusterscope::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string CliPath() { return std::string(CS_BINARY_DIR) + "/clusterscope"; }

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `clusterscope <args>` through the shell (args are passed as written, so quote paths with
// spaces), with LANG=C unless `args` sets --lang.
inline CliResult RunCli(const std::string& args) {
  static int counter = 0;
  auto dir = std::filesystem::temp_directory_path() / ("cs-cli-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string out = (dir / ("out" + std::to_string(counter))).string();
  std::string err = (dir / ("err" + std::to_string(counter++))).string();
  std::string cmd = "LANG=C LC_ALL= " + CliPath() + " " + args + " >" + out + " 2>" + err;
  int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadAll(out);
  r.err = ReadAll(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

// A database the CLI makes (`make(db)` runs it), kept under build/test-cache/ as `key` plus the
// binary's size and modification time, and copied to `path`: made once per build of the CLI
// instead of in every test process (ctest runs each test alone). Made under a temporary name and
// renamed into place, so tests running side by side never see half of it. `key` must name
// everything else the database depends on.
template <typename Make>
CliResult KeptDatabase(const std::string& path, const std::string& key, Make make) {
  namespace fs = std::filesystem;
  struct stat cli {};
  if (stat(CliPath().c_str(), &cli) != 0) return make(path);
  const fs::path cache = fs::path(CS_BINARY_DIR) / "test-cache";
  std::error_code ec;
  fs::create_directories(cache, ec);
  const fs::path kept = cache / (key + "-" + std::to_string(cli.st_size) + "-" + std::to_string(cli.st_mtim.tv_sec) +
                                 "." + std::to_string(cli.st_mtim.tv_nsec) + ".db");
  if (!fs::exists(kept)) {
    const std::string building = kept.string() + "." + std::to_string(getpid());
    CliResult made = make(building);
    // The CLI checkpoints and removes its write-ahead log on close; a log left behind holds data
    // a copy of the file would miss, so then the test makes its own.
    const bool whole = !fs::exists(building + "-wal");
    if (made.exit_code != 0 || !whole) {
      fs::remove(building, ec);
      fs::remove(building + "-wal", ec);
      fs::remove(building + "-shm", ec);
      return made.exit_code != 0 ? made : make(path);
    }
    fs::rename(building, kept, ec);  // another process may have won the race: either file will do
    fs::remove(building, ec);
    // Those of earlier builds of the CLI go.
    for (const auto& entry : fs::directory_iterator(cache, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with(key + "-") && name.ends_with(".db") && entry.path() != kept) fs::remove(entry.path(), ec);
    }
  }
  fs::copy_file(kept, path, fs::copy_options::overwrite_existing, ec);
  if (ec) return make(path);
  CliResult r;
  r.exit_code = 0;
  return r;
}

// `clusterscope --db PATH demo --firms FIRMS`, for a suite that needs only the demo's data (the
// demo takes 0.3 s in the release build and several seconds under ASan; over fifty test
// processes made one each).
inline CliResult DemoDatabase(const std::string& path, int firms = 2000) {
  return KeptDatabase(path, "demo-" + std::to_string(firms), [firms](const std::string& db) {
    return RunCli("--db " + db + " demo --firms " + std::to_string(firms));
  });
}

}  // namespace clusterscope::testing
