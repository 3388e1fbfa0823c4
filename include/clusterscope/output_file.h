// Files clusterscope writes for the user — error lists, workbooks, pages, plots. Each is written
// to a temporary file beside its target and renamed over it only when complete, so a failure or
// a kill leaves either the old file or the new one, never half of one; and a target that is the
// database or one of the command's inputs is refused before anything is written (cli.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "clusterscope/status.h"

namespace clusterscope {

class OutputFile {
 public:
  // Reserves `path` ("-" = standard output: the bytes are copied there on Commit()). kUsage when
  // `path` is one of `guarded` (compared as files: through links, `./` and relative paths) or a
  // directory; kEnvironment when its directory cannot be written.
  static Result<OutputFile> Create(const std::string& path, const std::vector<std::string>& guarded);

  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&& other) noexcept;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();  // removes the temporary file unless committed

  // The temporary file to write (for libraries that write by file name).
  const std::string& temp_path() const { return temp_; }
  const std::string& path() const { return path_; }

  // Writes `bytes` into the temporary file (replacing what it held).
  Status Write(std::string_view bytes);
  // Flushes the temporary file to disk and renames it over path() (or copies it to standard
  // output). After a failure the target is as it was.
  Status Commit();

 private:
  OutputFile(std::string path, std::string temp) : path_(std::move(path)), temp_(std::move(temp)) {}
  std::string path_;
  std::string temp_;
  bool committed_ = false;
};

// Create + Write + Commit.
Status WriteOutputFile(const std::string& path, std::string_view bytes, const std::vector<std::string>& guarded);

// The paths of a SQLite database file that no output may replace: the file and its -wal, -shm and
// -journal companions. Empty for a URL that is not a file (postgresql://…).
std::vector<std::string> DatabaseFiles(const std::string& db_url);

}  // namespace clusterscope
