// Helpers shared by the io tests: a scratch directory and whole-table reads.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/table_reader.h"

namespace clusterscope::io::testing {

// A fresh directory under the system temp dir, removed (with its contents) at scope exit.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("cs_io_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
             (info != nullptr ? info->name() : "x"));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  std::string Path(std::string_view name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

  // Writes `bytes` verbatim to `name` and returns its path.
  std::string Write(std::string_view name, std::string_view bytes) const {
    const std::string file = Path(name);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return file;
  }

 private:
  std::filesystem::path path_;
};

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every remaining row; fails the test on a read error.
inline std::vector<TableRow> ReadAll(TableReader& reader) {
  std::vector<TableRow> rows;
  TableRow row;
  while (true) {
    auto got = reader.Next(row);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    if (!got.ok() || !*got) break;
    rows.push_back(row);
  }
  return rows;
}

inline std::unique_ptr<TableReader> OpenOrDie(const std::string& path, const TableReadOptions& options = {}) {
  auto opened = TableReader::Open(path, options);
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  if (!opened.ok()) return nullptr;
  return std::move(opened).value();
}

using Cells = std::vector<std::string>;

}  // namespace clusterscope::io::testing
