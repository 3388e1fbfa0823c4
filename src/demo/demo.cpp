#include "clusterscope/demo.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string_view>

namespace clusterscope::demo {
struct EmbeddedFile {
  std::string_view name;
  std::string_view data;
};
extern const EmbeddedFile kEmbeddedFiles[];
extern const std::size_t kEmbeddedFileCount;
}  // namespace clusterscope::demo

namespace clusterscope {
namespace {

// A private temporary directory holding the embedded files, removed on destruction.
class TempFiles {
 public:
  static Result<std::unique_ptr<TempFiles>> Write() {
    std::error_code ec;
    std::string pattern = (std::filesystem::temp_directory_path(ec) / "clusterscope-demo-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return Status::Environment("cannot create a temporary directory for the demo");
    auto files = std::unique_ptr<TempFiles>(new TempFiles(pattern));
    for (std::size_t i = 0; i < demo::kEmbeddedFileCount; ++i) {
      const auto& f = demo::kEmbeddedFiles[i];
      std::string path = pattern + "/" + std::string(f.name);
      std::unique_ptr<FILE, int (*)(FILE*)> out(std::fopen(path.c_str(), "wb"), &std::fclose);
      if (!out || std::fwrite(f.data.data(), 1, f.data.size(), out.get()) != f.data.size()) {
        return Status::Environment(path + ": cannot write demo file");
      }
      files->paths_.push_back(path);
    }
    return files;
  }
  ~TempFiles() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempFiles(const TempFiles&) = delete;
  TempFiles& operator=(const TempFiles&) = delete;
  const std::vector<std::string>& paths() const { return paths_; }

 private:
  explicit TempFiles(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
  std::vector<std::string> paths_;
};

}  // namespace

Result<ImportOutcome> BuildDemo(Store& store, bool force) {
  CS_RETURN_IF_ERROR(InitDatabase(store));
  CS_ASSIGN_OR_RETURN(auto files, TempFiles::Write());
  std::vector<ImportInput> inputs;
  for (const std::string& path : files->paths()) {
    std::string stem = std::filesystem::path(path).stem().string();
    auto kind = ParseKind(stem);
    if (!kind) return Status::Internal("embedded demo file with no kind: " + path);
    inputs.push_back(ImportInput{*kind, path, ""});
  }
  ImportOptions check;
  check.dry_run = true;
  CS_ASSIGN_OR_RETURN(ImportOutcome trial, Import(store, inputs, check));
  // "Other data": stored records (beyond reference tables) that the demo does not hold itself.
  int64_t stored = 0;
  for (Kind kind : kAllKinds) {
    if (kind == Kind::kRegions || kind == Kind::kIndustries) continue;
    CS_ASSIGN_OR_RETURN(int64_t n, store.Count(kind));
    stored += n;
  }
  int64_t demo_already = 0;
  for (const FileOutcome& f : trial.files) demo_already += f.unchanged;
  if (stored > demo_already && !force) {
    return Status::Conflict(store.Location() + " holds " + std::to_string(stored - demo_already) +
                            " records that are not demo data; use another --db, or --force to add the demo to it");
  }
  ImportOptions options;
  options.replace = force;
  return Import(store, inputs, options);
}

}  // namespace clusterscope
