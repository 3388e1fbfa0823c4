// Running the clusterscope binary from tests: exit code, stdout and stderr, separately.
#pragma once

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

}  // namespace clusterscope::testing
