#include "clusterscope/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>

namespace clusterscope {
namespace fs = std::filesystem;
namespace {

// The same file: equal after resolving links and `..`, or the same inode when both exist.
bool SameFile(const std::string& a, const std::string& b) {
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec) && !ec) return true;
  const fs::path ca = fs::weakly_canonical(fs::absolute(a, ec), ec);
  const fs::path cb = fs::weakly_canonical(fs::absolute(b, ec), ec);
  return !ec && ca == cb;
}

Status WriteAll(int fd, std::string_view bytes, const std::string& what) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::Environment(fmt::format("{}: write failed: {}", what, std::strerror(errno)));
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

}  // namespace

Result<OutputFile> OutputFile::Create(const std::string& path, const std::vector<std::string>& guarded) {
  if (path.empty()) return Status::Usage("an output file name is empty");
  std::string dir = ".";
  if (path != "-") {
    for (const std::string& g : guarded) {
      if (!g.empty() && SameFile(path, g)) {
        return Status::Usage(fmt::format("{}: refusing to write an output onto the database or an input ({})", path, g))
            .WithId("output.protected");
      }
    }
    std::error_code ec;
    if (fs::is_directory(path, ec)) return Status::Usage(fmt::format("{}: is a directory, not a file name", path));
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty()) dir = parent.string();
    if (!fs::is_directory(dir, ec)) return Status::Environment(fmt::format("{}: no such directory {}", path, dir));
  } else {
    const char* tmp = std::getenv("TMPDIR");
    dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  const std::string base = path == "-" ? std::string("clusterscope-stdout") : fs::path(path).filename().string();
  std::string temp = fmt::format("{}/.{}.tmp-XXXXXX", dir, base);
  int fd = ::mkstemp(temp.data());
  if (fd < 0)
    return Status::Environment(fmt::format("{}: cannot create a file in {}: {}", path, dir, std::strerror(errno)));
  // mkstemp makes the file private; an output gets the permissions a new file would.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  (void)::fchmod(fd, 0666 & ~mask);
  ::close(fd);
  return OutputFile(path, std::move(temp));
}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : path_(std::move(other.path_)), temp_(std::move(other.temp_)), committed_(other.committed_) {
  other.committed_ = true;  // the moved-from object owns nothing
}

OutputFile& OutputFile::operator=(OutputFile&& other) noexcept {
  if (this != &other) {
    if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
    path_ = std::move(other.path_);
    temp_ = std::move(other.temp_);
    committed_ = other.committed_;
    other.committed_ = true;
  }
  return *this;
}

OutputFile::~OutputFile() {
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

Status OutputFile::Write(std::string_view bytes) {
  int fd = ::open(temp_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return Status::Environment(fmt::format("{}: cannot write: {}", path_, std::strerror(errno)));
  Status s = WriteAll(fd, bytes, path_);
  if (::close(fd) != 0 && s.ok())
    s = Status::Environment(fmt::format("{}: write failed: {}", path_, std::strerror(errno)));
  return s;
}

Status OutputFile::Commit() {
  if (committed_) return Status::Internal(path_ + ": output committed twice");
  int fd = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Status::Environment(fmt::format("{}: the output was not written: {}", path_, std::strerror(errno)));
  if (path_ == "-") {
    char buf[1 << 16];
    Status s = Status::Ok();
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      s = WriteAll(STDOUT_FILENO, std::string_view(buf, static_cast<size_t>(n)), "standard output");
      if (!s.ok()) break;
    }
    ::close(fd);
    ::unlink(temp_.c_str());
    committed_ = true;
    return s;
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return Status::Environment(fmt::format("{}: cannot flush to disk: {}", path_, std::strerror(errno)));
  if (std::rename(temp_.c_str(), path_.c_str()) != 0) {
    return Status::Environment(fmt::format("{}: cannot replace the file: {}", path_, std::strerror(errno)));
  }
  committed_ = true;
  return Status::Ok();
}

Status WriteOutputFile(const std::string& path, std::string_view bytes, const std::vector<std::string>& guarded) {
  CS_ASSIGN_OR_RETURN(OutputFile out, OutputFile::Create(path, guarded));
  CS_RETURN_IF_ERROR(out.Write(bytes));
  return out.Commit();
}

std::vector<std::string> DatabaseFiles(const std::string& db_url) {
  std::string_view u(db_url);
  if (u.starts_with("postgresql://") || u.starts_with("postgres://")) return {};
  if (u.starts_with("sqlite:")) u.remove_prefix(7);
  std::string f(u);
  return {f, f + "-wal", f + "-shm", f + "-journal"};
}

}  // namespace clusterscope
