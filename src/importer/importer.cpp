#include "clusterscope/importer.h"

#include <fmt/format.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/sha256.h"
#include "core/text.h"
#include "importer/cell_parser.h"
#include "importer/header_map.h"
#include "io/csv_writer.h"
#include "io/limits.h"
#include "io/table_reader.h"
#include "refdata/builtin.h"

namespace clusterscope {
namespace {

using importer::CellSpec;
using importer::HeaderMap;
using importer::ParseCell;

// Beyond this many problems in one file, only counts are kept (io/limits.h).
constexpr size_t kMaxProblemsPerFile = limits::kMaxProblemsPerFile;
// Bytes of a value or header shown in a problem.
constexpr size_t kMaxShownBytes = 256;

int CurrentYear() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return tm.tm_year + 1900;
}

std::string NowIso() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

const std::string* TextOf(const Value& v) { return std::get_if<std::string>(&v); }

// Which records exist, by kind, across the store and the files of this import read so far.
// The keys of one file's rows, each with the row it first appeared in. An open-addressing table
// of (hash, offset) over one byte arena: a million-row file costs a few growing buffers instead of
// two million small allocations, and a lookup touches one slot rather than a chain of nodes.
class FileKeys {
 public:
  void clear() {
    slots_.clear();
    arena_.clear();
    size_ = 0;
  }
  bool empty() const { return size_ == 0; }

  // Adds `key` first seen in `row`. When it is there already: false, and the row it came from.
  std::pair<bool, int64_t> Add(std::string_view key, int64_t row) {
    if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
    const uint64_t h = Hash(key);
    for (size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& slot = slots_[i];
      if (slot.hash == 0) {
        slot = Slot{h, arena_.size()};
        arena_.append(reinterpret_cast<const char*>(&row), sizeof row);
        const auto len = static_cast<uint32_t>(key.size());
        arena_.append(reinterpret_cast<const char*>(&len), sizeof len);
        arena_.append(key);
        ++size_;
        return {true, row};
      }
      if (slot.hash == h && KeyAt(slot.offset) == key) return {false, RowAt(slot.offset)};
    }
  }

  // The row `key` was first seen in, or 0.
  int64_t RowOf(std::string_view key) const {
    if (slots_.empty()) return 0;
    const uint64_t h = Hash(key);
    for (size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& slot = slots_[i];
      if (slot.hash == 0) return 0;
      if (slot.hash == h && KeyAt(slot.offset) == key) return RowAt(slot.offset);
    }
  }

  bool contains(std::string_view key) const {
    if (slots_.empty()) return false;
    const uint64_t h = Hash(key);
    for (size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& slot = slots_[i];
      if (slot.hash == 0) return false;
      if (slot.hash == h && KeyAt(slot.offset) == key) return true;
    }
  }

  // Calls fn(key) for every key, in the order added.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (size_t at = 0; at < arena_.size();) {
      std::string_view key = KeyAt(at);
      fn(key);
      at += sizeof(int64_t) + sizeof(uint32_t) + key.size();
    }
  }

 private:
  struct Slot {
    uint64_t hash = 0;  // 0: empty
    size_t offset = 0;  // of the entry in arena_: row (int64), length (uint32), key bytes
  };

  static uint64_t Hash(std::string_view key) {
    uint64_t h = std::hash<std::string_view>{}(key);
    return h == 0 ? 1 : h;
  }
  int64_t RowAt(size_t offset) const {
    int64_t row = 0;
    std::memcpy(&row, arena_.data() + offset, sizeof row);
    return row;
  }
  std::string_view KeyAt(size_t offset) const {
    uint32_t len = 0;
    std::memcpy(&len, arena_.data() + offset + sizeof(int64_t), sizeof len);
    return std::string_view(arena_).substr(offset + sizeof(int64_t) + sizeof(uint32_t), len);
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    for (const Slot& slot : old) {
      if (slot.hash == 0) continue;
      size_t i = slot.hash & (slots_.size() - 1);
      while (slots_[i].hash != 0) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = slot;
    }
  }

  std::vector<Slot> slots_;  // a power of two in size, at most 3/4 full
  std::string arena_;
  size_t size_ = 0;
};

class KnownKeys {
 public:
  // `before_scan` runs before each read of the store (the importer finishes its queued writes).
  KnownKeys(Store& store, std::function<Status()> before_scan) : store_(store), before_scan_(std::move(before_scan)) {}

  // Whether `key` (of a kind keyed by one text column: firms, zones, clusters) is stored or was
  // given by an earlier file of this import. The first kProbes keys asked about are looked up
  // one by one: a firm's one-report filing need not read the keys of a million stored firms
  // (seconds); past that, every stored key is read once (Of), cheaper than a lookup a row.
  Result<bool> Contains(Kind kind, const std::string& key) {
    const auto k = static_cast<size_t>(kind);
    if (sets_[k]) return sets_[k]->contains(key);
    for (const auto& file : given_[k]) {
      if (file->contains(key)) return true;
    }
    if (const auto it = probed_[k].find(key); it != probed_[k].end()) return it->second;
    if (const KindDef& def = Describe(kind); probed_[k].size() < kProbes && def.KeyColumns().size() == 1) {
      CS_RETURN_IF_ERROR(before_scan_());
      Record wanted(def.columns.size());
      wanted[static_cast<size_t>(def.KeyColumns()[0])] = key;
      CS_ASSIGN_OR_RETURN(const std::optional<Record> stored, store_.Get(kind, wanted));
      probed_[k].emplace(key, stored.has_value());
      return stored.has_value();
    }
    CS_ASSIGN_OR_RETURN(const auto* set, Of(kind));
    return set->contains(key);
  }

  Result<const std::unordered_set<std::string>*> Of(Kind kind) {
    auto& slot = sets_[static_cast<size_t>(kind)];
    if (!slot) {
      CS_RETURN_IF_ERROR(before_scan_());
      slot = std::make_unique<std::unordered_set<std::string>>();
      const KindDef& def = Describe(kind);
      auto* set = slot.get();
      // Keys straight from the rows: a million stored firms need no Record each.
      std::vector<int> key_columns = def.KeyColumns();
      CS_RETURN_IF_ERROR(store_.ScanRows(kind, [&](const RowView& r) {
        std::string key;
        for (size_t i = 0; i < key_columns.size(); ++i) {
          if (i > 0) key.push_back('\x1f');  // as KeyOf joins them
          int c = key_columns[i];
          if (def.columns[static_cast<size_t>(c)].type == ColumnType::kYear) {
            key += std::to_string(r.Int(c));
          } else {
            key += r.Text(c);
          }
        }
        set->insert(std::move(key));
        return true;
      }));
      // The keys of earlier files (not written: a dry run, or an import already refused).
      for (const auto& file : given_[static_cast<size_t>(kind)]) {
        file->ForEach([&](std::string_view key) { set->emplace(key); });
      }
      given_[static_cast<size_t>(kind)].clear();
      std::unordered_map<std::string, bool>().swap(probed_[static_cast<size_t>(kind)]);
    }
    return slot.get();
  }
  // The keys of a file of this import, known from now on. Kept as they are (no copy) until the
  // stored keys are read, and only of the kinds other files refer to.
  void Given(Kind kind, const std::shared_ptr<const FileKeys>& keys) {
    if (auto& slot = sets_[static_cast<size_t>(kind)]) {
      keys->ForEach([&](std::string_view key) { slot->emplace(key); });
    } else if (kind == Kind::kFirms || kind == Kind::kZones || kind == Kind::kClusters || kind == Kind::kRegions ||
               kind == Kind::kIndustries) {
      given_[static_cast<size_t>(kind)].push_back(keys);
    }
  }

 private:
  static constexpr size_t kProbes = 256;
  Store& store_;
  std::function<Status()> before_scan_;
  std::array<std::unique_ptr<std::unordered_set<std::string>>, std::size(kAllKinds)> sets_;
  std::array<std::vector<std::shared_ptr<const FileKeys>>, std::size(kAllKinds)> given_;  // Given before Of
  std::array<std::unordered_map<std::string, bool>, std::size(kAllKinds)> probed_;        // looked up one by one
};

// Inserts records through a WriteTransaction on a second thread, in the order given, while the
// importer goes on parsing and checking the rows after them: a first import of a million rows
// spends about as long inside SQLite as in reading and checking, and the two overlap on two cores.
// The queue is bounded (kMaxQueued batches of kBatch records), so memory stays small however
// large the file. Records are swapped in and out, never copied, and their buffers are reused.
//
// The caller must Drain() before it touches the store or the transaction in any other way; the
// first failed insert stops all later ones and is returned by the next Insert() or Drain().
class AsyncInserter {
 public:
  static constexpr size_t kBatch = 256;
  static constexpr size_t kMaxQueued = 16;

  AsyncInserter() = default;
  AsyncInserter(const AsyncInserter&) = delete;
  AsyncInserter& operator=(const AsyncInserter&) = delete;
  ~AsyncInserter() {
    if (thread_.joinable()) {
      {
        std::lock_guard lock(mu_);
        stop_ = true;
      }
      work_.notify_one();
      thread_.join();
    }
  }

  // Queues the insert of `record` into `txn`; `record` is left holding a spare record to refill.
  Status Insert(WriteTransaction& txn, Kind kind, Record& record) {
    if (failed_.load(std::memory_order_acquire)) return Drain();
    if (used_ > 0 && (kind != kind_ || &txn != txn_)) CS_RETURN_IF_ERROR(Flush());
    txn_ = &txn;
    kind_ = kind;
    if (current_.size() <= used_) current_.resize(used_ + 1);
    std::swap(current_[used_++], record);
    if (used_ == kBatch) return Flush();
    return Status::Ok();
  }

  // Waits until every queued insert has been written; the first failure, if any.
  Status Drain() {
    if (used_ > 0) (void)Flush();
    std::unique_lock lock(mu_);
    idle_.wait(lock, [&] { return queue_.empty() && !busy_; });
    return error_;
  }

 private:
  struct Batch {
    WriteTransaction* txn;
    Kind kind;
    std::vector<Record> records;
    size_t count;
  };

  // Hands the current batch to the worker (waiting while the queue is full).
  Status Flush() {
    std::unique_lock lock(mu_);
    if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
    idle_.wait(lock, [&] { return queue_.size() < kMaxQueued; });
    queue_.push_back(Batch{txn_, kind_, std::move(current_), used_});
    used_ = 0;
    current_.clear();
    if (!spare_.empty()) {
      current_ = std::move(spare_.back());
      spare_.pop_back();
    }
    work_.notify_one();
    return error_;
  }

  void Loop() {
    std::unique_lock lock(mu_);
    for (;;) {
      work_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      Batch batch = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      bool failed = !error_.ok();
      lock.unlock();
      Status status;
      for (size_t i = 0; i < batch.count && !failed && status.ok(); ++i) {
        status = batch.txn->Insert(batch.kind, batch.records[i]);
      }
      lock.lock();
      if (!status.ok() && error_.ok()) {
        error_ = status;
        failed_.store(true, std::memory_order_release);
      }
      spare_.push_back(std::move(batch.records));
      busy_ = false;
      idle_.notify_one();
    }
  }

  // Owned by the calling thread.
  std::vector<Record> current_;
  size_t used_ = 0;
  WriteTransaction* txn_ = nullptr;
  Kind kind_ = Kind::kRegions;

  // Shared, under mu_.
  std::mutex mu_;
  std::condition_variable work_;  // the worker waits for a batch
  std::condition_variable idle_;  // the caller waits for room in the queue, or for the end
  std::deque<Batch> queue_;
  std::vector<std::vector<Record>> spare_;  // written batches, for reuse
  bool busy_ = false;
  bool stop_ = false;
  Status error_;
  std::atomic<bool> failed_{false};
  std::thread thread_;
};

class ImportRun {
 public:
  ImportRun(Store& store, const ImportOptions& options)
      : store_(store), options_(options), known_(store, [this] { return inserter_.Drain(); }) {
    this_year_ = options.this_year > 0 ? options.this_year : CurrentYear();
  }

  Result<ImportOutcome> Run(std::vector<ImportInput> inputs) {
    std::stable_sort(inputs.begin(), inputs.end(),
                     [](const ImportInput& a, const ImportInput& b) { return a.kind < b.kind; });
    if (!options_.dry_run) {
      CS_ASSIGN_OR_RETURN(txn_, store_.BeginWrite());
    }
    for (const ImportInput& input : inputs) {
      CS_RETURN_IF_ERROR(ProcessFile(input));
    }
    int64_t changed = 0;
    for (const FileOutcome& f : outcome_.files) changed += f.added + f.replaced;
    if (txn_ && outcome_.errors() == 0 && (changed > 0 || options_.before_commit)) {
      if (options_.before_commit) {
        CS_RETURN_IF_ERROR(inserter_.Drain());  // the transaction is the caller's alone from here
        CS_RETURN_IF_ERROR(options_.before_commit(*txn_, outcome_));
      }
      CS_RETURN_IF_ERROR(txn_->Commit());
      outcome_.written = changed > 0;
    }
    txn_.reset();  // rolls back when not committed
    return std::move(outcome_);
  }

 private:
  // ---- problems ----
  void Report(Severity sev, int64_t row, const std::string& column, const std::string& value, std::string rule,
              std::string zh, std::string en) {
    FileOutcome& f = outcome_.files.back();
    // The rows waiting for their lookup come first: their problems (key.stored) are listed, and
    // counted against the file's cap, in row order as if each had been looked up at once.
    if (!awaiting_.empty() && !applying_) {
      if (Status s = ApplyAwaiting(f); !s.ok() && awaiting_error_.ok()) awaiting_error_ = std::move(s);
    }
    (sev == Severity::kError ? f.errors : f.warnings)++;
    if (file_problems_ >= kMaxProblemsPerFile) return;
    ++file_problems_;
    // Values and headers as given, but printable: a NUL, an escape code or invalid UTF-8 would
    // garble the terminal, the --errors CSV and JSON; a 100 KB cell is cut.
    outcome_.problems.push_back(Problem{sev, f.input.path, row, text::Printable(column, kMaxShownBytes),
                                        text::Printable(value, kMaxShownBytes), std::move(rule), std::move(zh),
                                        std::move(en)});
  }
  // A failure of the reader: its rule, row, column and value when it names them.
  void ReportRead(const io::ReadProblem& p, const Status& status) {
    if (p.rule.empty()) {
      Report(Severity::kError, 0, "", "", "file.unreadable", status.message(), status.message());
      return;
    }
    Report(Severity::kError, p.row, p.column, p.value, p.rule, p.zh, p.en);
  }
  std::string HeaderOf(int target) const {
    int f = map_.file_column_of_target[static_cast<size_t>(target)];
    return f >= 0 ? header_[static_cast<size_t>(f)] : std::string(def_->columns[static_cast<size_t>(target)].id);
  }
  std::string RawOf(int target) const {
    int f = map_.file_column_of_target[static_cast<size_t>(target)];
    if (f < 0 || static_cast<size_t>(f) >= row_.cells.size()) return "";
    return row_.cells[static_cast<size_t>(f)];
  }
  void CellError(int target, std::string rule, std::string zh, std::string en, Severity sev = Severity::kError) {
    Report(sev, row_.row_number, HeaderOf(target), RawOf(target), std::move(rule), std::move(zh), std::move(en));
  }

  int Col(std::string_view id) const { return def_->ColumnIndex(id); }
  Value& Field(std::string_view id) { return record_[static_cast<size_t>(Col(id))]; }

  // ---- reference checks ----
  Status CheckRef(std::string_view column, Kind target) {
    int c = Col(column);
    const std::string* key = TextOf(record_[static_cast<size_t>(c)]);
    if (key == nullptr) return Status::Ok();
    CS_ASSIGN_OR_RETURN(const bool known, known_.Contains(target, *key));
    if (known) return Status::Ok();
    const KindDef& t = Describe(target);
    CellError(c, fmt::format("ref.{}", t.id), fmt::format("{}“{}”不在数据库中，也不在本次导入的文件中", t.zh, *key),
              fmt::format("{} \"{}\" is neither stored nor in this import", t.id, *key));
    return Status::Ok();
  }

  Status CheckRegion(std::string_view column) {
    int c = Col(column);
    const std::string* code = TextOf(record_[static_cast<size_t>(c)]);
    if (code == nullptr) return Status::Ok();
    CS_ASSIGN_OR_RETURN(auto* set, known_.Of(Kind::kRegions));
    if (set->contains(*code)) return Status::Ok();
    std::string province = code->substr(0, 2) + "0000";
    if (!set->contains(province)) {
      CellError(c, "region.unknown", fmt::format("省级代码{}不存在（GB/T 2260）", province),
                fmt::format("no province {} in GB/T 2260", province));
    } else {
      CellError(
          c, "region.unlisted", fmt::format("{}不在区划表中（省份有效；导入完整区划表可核对）", *code),
          fmt::format("{} is not in the stored region table (its province is valid; import a full table to check it)",
                      *code),
          Severity::kWarning);
    }
    return Status::Ok();
  }

  // `code` of an industry list or class: the division must be known; a finer code not in the
  // table is a warning (the shipped table holds every division but only some classes).
  Status CheckIndustry(int column, const std::string& code) {
    CS_ASSIGN_OR_RETURN(auto* set, known_.Of(Kind::kIndustries));
    if (set->contains(code)) return Status::Ok();
    if (!set->contains(code.substr(0, 2))) {
      CellError(column, "industry.unknown", fmt::format("行业大类{}不存在", code.substr(0, 2)),
                fmt::format("no industry division {}", code.substr(0, 2)));
    } else {
      CellError(column, "industry.unlisted",
                fmt::format("行业代码{}不在行业表中（大类有效；可用 import industries 导入完整GB/T 4754-2017）", code),
                fmt::format("industry code {} is not in the stored table (its division is valid; `import industries` a "
                            "full GB/T 4754-2017 table to check it)",
                            code),
                Severity::kWarning);
    }
    return Status::Ok();
  }

  // ---- kind-specific derivations and checks ----
  Status CheckKind() {
    switch (def_->kind) {
      case Kind::kRegions:
        return CheckRegionRow();
      case Kind::kIndustries:
        return CheckIndustryRow();
      case Kind::kZones:
        return CheckRegion("region_code");
      case Kind::kClusters: {
        CS_RETURN_IF_ERROR(CheckRef("zone_id", Kind::kZones));
        if (const std::string* list = TextOf(Field("leading_industries"))) {
          size_t start = 0;
          while (start < list->size()) {
            size_t end = std::min(list->find(';', start), list->size());
            CS_RETURN_IF_ERROR(CheckIndustry(Col("leading_industries"), list->substr(start, end - start)));
            start = end + 1;
          }
        }
        Field("industry_edition") = std::string(refdata::kIndustryEdition);
        return Status::Ok();
      }
      case Kind::kFirms: {
        CS_RETURN_IF_ERROR(CheckRegion("region_code"));
        CS_RETURN_IF_ERROR(CheckRef("zone_id", Kind::kZones));
        if (const std::string* code = TextOf(Field("industry_code")))
          CS_RETURN_IF_ERROR(CheckIndustry(Col("industry_code"), *code));
        Field("industry_edition") = std::string(refdata::kIndustryEdition);
        if (IsNull(Field("lat")) != IsNull(Field("lon")) && row_valid_) {
          int given = IsNull(Field("lat")) ? Col("lon") : Col("lat");
          CellError(given, "geo.pair", "纬度和经度须同时填写或同时为空", "give both lat and lon, or neither");
        }
        return Status::Ok();
      }
      case Kind::kMembers:
        CS_RETURN_IF_ERROR(CheckRef("cluster_id", Kind::kClusters));
        CS_RETURN_IF_ERROR(CheckRef("uscc", Kind::kFirms));
        return CheckMemberOverlap();
      case Kind::kInstitutions:
        return CheckRef("cluster_id", Kind::kClusters);
      case Kind::kReports:
        return CheckRef("uscc", Kind::kFirms);
      case Kind::kExpert:
        return CheckRef("cluster_id", Kind::kClusters);
    }
    return Status::Ok();
  }

  Status CheckRegionRow() {
    const std::string* code = TextOf(Field("code"));
    if (code == nullptr) return Status::Ok();
    std::string_view level = refdata::RegionLevel(*code);
    Field("level") = std::string(level);
    if (IsNull(Field("parent")) && level != "province") {
      // Derive: a county's prefecture if one is known, else its province.
      std::string prefecture = code->substr(0, 4) + "00";
      std::string province = code->substr(0, 2) + "0000";
      CS_ASSIGN_OR_RETURN(auto* set, known_.Of(Kind::kRegions));
      bool in_file = file_keys_.contains(prefecture);
      Field("parent") = level == "county" && (set->contains(prefecture) || in_file) ? prefecture : province;
    }
    bool given = map_.file_column_of_target[static_cast<size_t>(Col("parent"))] >= 0 && !IsNull(Field("parent"));
    if (const std::string* parent = TextOf(Field("parent"))) {
      int at = given ? Col("parent") : Col("code");
      deferred_parents_.push_back({row_.row_number, HeaderOf(at), RawOf(at), *parent, !given});
    }
    return Status::Ok();
  }

  Status CheckIndustryRow() {
    const std::string* code = TextOf(Field("code"));
    if (code == nullptr) return Status::Ok();
    std::string_view level;
    std::string parent;
    std::string section;
    if (code->size() == 1) {
      level = "section";
      section = *code;
    } else {
      char s = refdata::SectionForDivision(std::atoi(code->substr(0, 2).c_str()));
      if (s == 0) {
        CellError(Col("code"), "industry.unknown", fmt::format("行业大类{}不存在", code->substr(0, 2)),
                  fmt::format("no industry division {}", code->substr(0, 2)));
        return Status::Ok();
      }
      section = std::string(1, s);
      level = code->size() == 2 ? "division" : code->size() == 3 ? "group" : "class";
      parent = code->size() == 2 ? section : code->substr(0, code->size() - 1);
    }
    auto check_given = [&](std::string_view column, const std::string& derived, std::string rule) {
      if (const std::string* given = TextOf(Field(column)); given != nullptr && *given != derived) {
        CellError(Col(column), std::move(rule), fmt::format("按代码{}应为{}", *code, derived),
                  fmt::format("code {} implies {}", *code, derived));
      }
      Field(column) = derived.empty() ? Value{} : Value{derived};
    };
    check_given("level", std::string(level), "industry.level");
    check_given("parent", parent, "industry.parent");
    check_given("section", section, "industry.section");
    Field("edition") = std::string(refdata::kIndustryEdition);
    if (!parent.empty())
      deferred_parents_.push_back({row_.row_number, HeaderOf(Col("code")), RawOf(Col("code")), parent, true});
    return Status::Ok();
  }

  Status CheckMemberOverlap() {
    const std::string* cluster = TextOf(Field("cluster_id"));
    const std::string* firm = TextOf(Field("uscc"));
    const auto* from = std::get_if<int64_t>(&Field("from_year"));
    if (cluster == nullptr || firm == nullptr || from == nullptr) return Status::Ok();
    const auto* to_ptr = std::get_if<int64_t>(&Field("to_year"));
    int64_t to = to_ptr != nullptr ? *to_ptr : INT64_MAX;
    if (!member_spans_loaded_) {
      member_spans_loaded_ = true;
      CS_RETURN_IF_ERROR(inserter_.Drain());
      CS_RETURN_IF_ERROR(store_.Scan(Kind::kMembers, [&](const Record& r) {
        const auto* t = std::get_if<int64_t>(&r[3]);
        member_spans_[std::get<std::string>(r[0]) + '\x1f' + std::get<std::string>(r[1])].push_back(
            {std::get<int64_t>(r[2]), t != nullptr ? *t : INT64_MAX, 0});
        return true;
      }));
    }
    auto& spans = member_spans_[*cluster + '\x1f' + *firm];
    for (const MemberSpan& s : spans) {
      if (s.from == *from) continue;  // same key: a re-import or a replacement, judged by the key check
      if (s.from <= to && *from <= s.to) {
        std::string where = s.row > 0 ? fmt::format("第{}行", s.row) : "数据库中";
        std::string where_en = s.row > 0 ? fmt::format("row {}", s.row) : "the database";
        CellError(Col("from_year"), "members.overlap",
                  fmt::format("企业{}在集群{}的成员年份与{}的记录（起始{}年）重叠", *firm, *cluster, where, s.from),
                  fmt::format("firm {} in cluster {} overlaps the membership from {} in {}", *firm, *cluster, s.from,
                              where_en));
        break;
      }
    }
    spans.push_back({*from, to, row_.row_number});
    return Status::Ok();
  }

  // The consistency rules of the current kind with their columns resolved to indices, once per
  // file rather than per row.
  struct ResolvedRule {
    const ConsistencyRule* rule;
    std::vector<size_t> lhs;
    size_t rhs;
  };
  void ResolveRules() {
    rules_.clear();
    for (const ConsistencyRule& rule : def_->rules) {
      ResolvedRule r{&rule, {}, static_cast<size_t>(Col(rule.rhs))};
      for (std::string_view id : rule.lhs) r.lhs.push_back(static_cast<size_t>(Col(id)));
      rules_.push_back(std::move(r));
    }
  }

  void CheckConsistency() {
    for (const ResolvedRule& r : rules_) {
      const auto* limit = std::get_if<int64_t>(&record_[r.rhs]);
      if (limit == nullptr) continue;
      int64_t sum = 0;
      bool complete = true;
      bool overflow = false;  // a sum past int64 certainly exceeds the limit
      for (size_t c : r.lhs) {
        const auto* v = std::get_if<int64_t>(&record_[c]);
        if (v == nullptr) {
          complete = false;
          break;
        }
        overflow = overflow || __builtin_add_overflow(sum, *v, &sum);
      }
      if (!complete || (!overflow && sum <= *limit)) continue;
      const ConsistencyRule& rule = *r.rule;
      std::string terms;
      for (std::string_view id : rule.lhs) terms += (terms.empty() ? "" : " + ") + std::string(id);
      const RuleInfo* info = nullptr;
      for (const RuleInfo& ri : ImportRules()) {
        if (ri.id == rule.id) info = &ri;
      }
      CellError(static_cast<int>(r.lhs[0]), std::string(rule.id),
                fmt::format("{}（{} > {}）", info ? info->zh : rule.id, terms, rule.rhs),
                fmt::format("{} ({} > {})", info ? info->en : rule.id, terms, rule.rhs));
    }
  }

  // Regions and industries are merged: a known code is judged by its name alone. Other kinds
  // compare what the file gives; derived columns follow from it, except the name as first
  // written, which a later spelling (Traditional, full-width) must not count as a change.
  bool SameStored(const Record& record, const Record& stored) const {
    if (def_->kind == Kind::kRegions || def_->kind == Kind::kIndustries) return stored[1] == record[1];
    for (size_t i = 0; i < def_->columns.size(); ++i) {
      if (def_->columns[i].from_input && !(stored[i] == record[i])) return false;
    }
    return true;
  }

  // ---- one file ----
  Status ProcessFile(const ImportInput& input) {
    def_ = &Describe(input.kind);
    outcome_.files.push_back(FileOutcome{input});
    FileOutcome& out = outcome_.files.back();
    file_problems_ = 0;
    // The keys of earlier files of this import of the same kind (inputs are sorted by kind): a
    // record given twice must be named in both files, and with --replace the later one must not
    // silently win (history would record a value that was never committed).
    if (earlier_kind_ != input.kind) {
      earlier_files_.clear();
    } else if (previous_keys_ && !previous_keys_->empty()) {
      earlier_files_.push_back(EarlierFile{previous_path_, previous_keys_});
    }
    previous_keys_.reset();
    earlier_kind_ = input.kind;
    file_keys_ = FileKeys();
    previous_path_ = input.path;
    CS_RETURN_IF_ERROR(LoadFoldedIds());
    deferred_parents_.clear();
    ResolveRules();
    name_original_ = Col("name_original");

    io::ReadProblem open_problem;
    auto reader = io::TableReader::Open(input.path, io::TableReadOptions{input.sheet}, &open_problem);
    if (!reader.ok()) {
      if (reader.status().code() == StatusCode::kInvalidInput) {
        ReportRead(open_problem, reader.status());
      } else {
        Report(Severity::kError, 0, "", "", "file.unreadable", reader.status().message(), reader.status().message());
      }
      return Status::Ok();
    }
    // The hash below reads the reader's bytes on another thread: wait for it before the reader goes.
    struct HashWaiter {
      std::future<Result<std::string>>& hash;
      explicit HashWaiter(std::future<Result<std::string>>& h) : hash(h) {}
      HashWaiter(const HashWaiter&) = delete;
      HashWaiter& operator=(const HashWaiter&) = delete;
      ~HashWaiter() {
        if (hash.valid()) hash.wait();
      }
    } hash_waiter{file_sha256_};
    out.encoding = std::string((*reader)->encoding());
    header_ = (*reader)->header();
    unnamed_.assign(header_.size(), false);  // once per file, not per row
    for (size_t f = 0; f < header_.size(); ++f) unnamed_[f] = text::NormaliseHeader(header_[f]).empty();
    const size_t problems_before = outcome_.problems.size();
    map_ = importer::MapHeader(*def_, header_, options_.ignore_unknown_columns, input.path, (*reader)->header_row(),
                               this_year_, outcome_.problems);
    for (size_t i = problems_before; i < outcome_.problems.size(); ++i) {
      const Problem& p = outcome_.problems[i];
      (p.severity == Severity::kError ? out.errors : out.warnings)++;
    }

    CS_ASSIGN_OR_RETURN(table_had_rows_, store_.HasRows(input.kind));
    std::vector<int> key_columns = def_->KeyColumns();
    bool keys_present = std::all_of(key_columns.begin(), key_columns.end(),
                                    [&](int k) { return map_.file_column_of_target[static_cast<size_t>(k)] >= 0; });
    // The import-log entry is written when it is first needed (a replacement refers to it) or at
    // the end of the file; meanwhile the file's SHA-256 is computed on another thread.
    log_entry_ = ImportLogEntry{};
    log_pending_ = false;
    if (txn_ && outcome_.errors() == 0) {
      log_entry_ = ImportLogEntry{0, std::string(def_->id), input.path, "", NowIso()};
      log_pending_ = true;
      // Of the bytes the reader read (a pipe or standard input cannot be read twice).
      file_sha256_ = std::async(std::launch::async,
                                [bytes = (*reader)->raw_bytes()] { return Result<std::string>(sha256::Hex(bytes)); });
    }

    const size_t ncols = def_->columns.size();
    int64_t since_progress = 0;
    for (;;) {
      auto more = (*reader)->Next(row_);
      if (!more.ok()) {
        ReportRead((*reader)->problem(), more.status());
        break;
      }
      if (!*more) break;
      ++out.rows;
      if (options_.progress && ++since_progress == 8192) {
        since_progress = 0;
        options_.progress(input, (*reader)->bytes_done(), (*reader)->bytes_total());
      }
      if (map_.fatal) continue;  // a required column is missing: the header problem says it all
      int64_t errors_before = out.errors;
      deferred_errors_ = 0;
      record_.assign(ncols, Value{});
      row_valid_ = true;
      for (size_t t = 0; t < ncols; ++t) {
        const ColumnDef& col = def_->columns[t];
        if (!col.from_input) continue;
        int f = map_.file_column_of_target[t];
        std::string_view raw = f >= 0 && static_cast<size_t>(f) < row_.cells.size()
                                   ? std::string_view(row_.cells[static_cast<size_t>(f)])
                                   : std::string_view();
        if (f < 0 && col.fallback.empty()) continue;
        importer::ParsedCell cell = ParseCell(map_.specs[t], raw);
        if (cell.issue) {
          CellError(static_cast<int>(t), std::move(cell.issue->rule), std::move(cell.issue->zh),
                    std::move(cell.issue->en));
          row_valid_ = false;
        }
        record_[t] = std::move(cell.value);
        // name_original is the record's own name as written: the `name` column only, never another
        // name-typed column (a cluster's alliance or construction body).
        if (col.id == "name" && col.type == ColumnType::kName && !IsNull(record_[t]) && name_original_ >= 0) {
          record_[static_cast<size_t>(name_original_)] = std::string(text::Trim(raw));
        }
      }
      for (size_t f = 0; f < row_.cells.size(); ++f) {  // right of the header, or under an empty header cell
        if ((f >= header_.size() || unnamed_[f]) && !text::Trim(row_.cells[f]).empty()) {
          Report(Severity::kError, row_.row_number, fmt::format("#{}", f + 1), row_.cells[f], "cell.extra",
                 fmt::format("第{}列没有列名", f + 1), fmt::format("column {} has no header", f + 1));
        }
      }
      CS_RETURN_IF_ERROR(CheckKind());
      CheckConsistency();
      if (!keys_present) continue;
      std::string key = KeyOf(*def_, record_);
      bool key_complete = std::all_of(key_columns.begin(), key_columns.end(),
                                      [&](int k) { return !IsNull(record_[static_cast<size_t>(k)]); });
      if (!key_complete) continue;
      if (CheckIdCase(key_columns)) continue;
      auto [fresh, first_row] = file_keys_.Add(key, row_.row_number);
      if (!fresh) {
        Report(Severity::kError, row_.row_number, HeaderOf(key_columns[0]), RawOf(key_columns[0]), "key.duplicate",
               fmt::format("与第{}行重复（{}）", first_row, KeyText(key)),
               fmt::format("same record as row {} ({})", first_row, KeyText(key)));
        continue;
      }
      if (ReportEarlierFile(key, key_columns)) continue;
      if (out.errors - deferred_errors_ > errors_before) continue;  // not counting the earlier rows' (Report)
      if (options_.check_record) CS_RETURN_IF_ERROR(options_.check_record(def_->kind, record_, row_.row_number));
      CS_RETURN_IF_ERROR(awaiting_error_);
      if (!table_had_rows_) {
        // A table empty when the file began can only hold this file's rows, which the in-file key
        // check already covers: no lookup, which keeps first imports fast.
        CS_RETURN_IF_ERROR(Apply(out, key, record_, std::nullopt, row_.row_number, ""));
        continue;
      }
      awaiting_.push_back(AwaitingRow{std::move(record_), std::move(key), row_.row_number, RawOf(key_columns[0])});
      if (awaiting_.size() == kLookupBatch) CS_RETURN_IF_ERROR(ApplyAwaiting(out));
    }
    CS_RETURN_IF_ERROR(awaiting_error_);
    CS_RETURN_IF_ERROR(ApplyAwaiting(out));
    CS_RETURN_IF_ERROR(inserter_.Drain());
    for (const DeferredParent& p : deferred_parents_) {
      CS_ASSIGN_OR_RETURN(auto* set, known_.Of(def_->kind));
      if (set->contains(p.parent) || file_keys_.contains(p.parent)) continue;
      if (def_->kind == Kind::kRegions && p.parent.ends_with("0000") && p.derived) {
        // The code's own province is missing: the code itself is unknown to GB/T 2260 here.
        Report(Severity::kError, p.row, p.column, p.value, "region.unknown",
               fmt::format("省级代码{}不存在（GB/T 2260），也不在本文件中", p.parent),
               fmt::format("province {} is neither in GB/T 2260 as stored nor in this file", p.parent));
      } else {
        Report(Severity::kError, p.row, p.column, p.value,
               def_->kind == Kind::kRegions ? "region.parent" : "industry.parent",
               fmt::format("上级代码{}不存在，也不在本文件中", p.parent),
               fmt::format("parent code {} is neither stored nor in this file", p.parent));
      }
    }
    previous_keys_ = std::make_shared<const FileKeys>(std::move(file_keys_));
    file_keys_ = FileKeys();
    known_.Given(def_->kind, previous_keys_);
    if (txn_ && (log_pending_ || log_entry_.id > 0) && outcome_.errors() == 0) {
      log_entry_.rows = out.rows;
      log_entry_.added = out.added;
      log_entry_.replaced = out.replaced;
      log_entry_.unchanged = out.unchanged;
      if (log_pending_) {
        CS_RETURN_IF_ERROR(WriteLogEntry());  // with the final counts
      } else {
        CS_RETURN_IF_ERROR(txn_->UpdateImportLog(log_entry_));
      }
    }
    log_pending_ = false;
    if (file_sha256_.valid()) file_sha256_.wait();
    return Status::Ok();
  }

  // Writes the current file's import-log entry (once), after the inserts queued before it.
  Status WriteLogEntry() {
    if (!log_pending_) return Status::Ok();
    log_pending_ = false;
    CS_ASSIGN_OR_RETURN(log_entry_.sha256, file_sha256_.get());
    CS_RETURN_IF_ERROR(inserter_.Drain());
    CS_ASSIGN_OR_RETURN(log_entry_.id, txn_->LogImport(log_entry_));
    return Status::Ok();
  }

  // True (and reported) when `key` was given by an earlier file of this import.
  bool ReportEarlierFile(const std::string& key, const std::vector<int>& key_columns) {
    for (const EarlierFile& earlier : earlier_files_) {
      const int64_t row = earlier.keys->RowOf(key);
      if (row == 0) continue;
      Report(Severity::kError, row_.row_number, HeaderOf(key_columns[0]), RawOf(key_columns[0]), "key.duplicate",
             fmt::format("与本次导入的{}第{}行重复（{}）：同一记录只能由一个文件给出", earlier.path, row, KeyText(key)),
             fmt::format("same record as {} row {} of this import ({}): one import may give a record only once",
                         earlier.path, row, KeyText(key)));
      return true;
    }
    return false;
  }

  // For kinds keyed by one user-chosen id (zones, clusters): the ids stored, folded to lower case,
  // each with its spelling, so that `qh-bio` beside `QH-BIO` is refused (they would be two
  // clusters that every reader takes for one).
  static std::string FoldCase(std::string_view id) {
    std::string folded(id);
    for (char& c : folded) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return folded;
  }
  Status LoadFoldedIds() {
    const std::vector<int> key_columns = def_->KeyColumns();
    id_key_column_ = -1;
    if (key_columns.size() != 1 || def_->columns[static_cast<size_t>(key_columns[0])].type != ColumnType::kId) {
      return Status::Ok();
    }
    id_key_column_ = key_columns[0];
    if (folded_ids_kind_ == def_->kind) return Status::Ok();  // kept across files of one kind
    folded_ids_kind_ = def_->kind;
    folded_ids_.clear();
    CS_ASSIGN_OR_RETURN(auto* stored, known_.Of(def_->kind));
    for (const std::string& id : *stored) folded_ids_.emplace(FoldCase(id), FoldedId{id, "", 0});
    return Status::Ok();
  }
  // True (and reported) when the row's id differs from a known one only in case.
  bool CheckIdCase(const std::vector<int>& key_columns) {
    if (id_key_column_ < 0) return false;
    const std::string* id = TextOf(record_[static_cast<size_t>(id_key_column_)]);
    if (id == nullptr) return false;
    auto [it, fresh] =
        folded_ids_.emplace(FoldCase(*id), FoldedId{*id, outcome_.files.back().input.path, row_.row_number});
    if (fresh || it->second.spelling == *id) return false;
    const FoldedId& other = it->second;
    const std::string where_zh = other.row == 0 ? "已存储的" : fmt::format("{}第{}行的", other.path, other.row);
    const std::string where_en = other.row == 0 ? "stored" : fmt::format("in {} row {}", other.path, other.row);
    Report(Severity::kError, row_.row_number, HeaderOf(key_columns[0]), RawOf(key_columns[0]), "id.case",
           fmt::format("“{}”与{}“{}”仅大小写不同：代码不区分大小写", *id, where_zh, other.spelling),
           fmt::format("\"{}\" differs from the id \"{}\" ({}) only in letter case: ids are case-insensitive", *id,
                       other.spelling, where_en));
    return true;
  }

  static std::string KeyText(std::string key) {
    std::replace(key.begin(), key.end(), '\x1f', ',');
    return key;
  }

  // Looks the awaiting rows up in one call (one query a few thousand keys on PostgreSQL, where a
  // lookup a row cost a round trip each) and applies each, in row order.
  Status ApplyAwaiting(FileOutcome& out) {
    if (awaiting_.empty()) return Status::Ok();
    applying_ = true;
    const int64_t errors_before = out.errors;
    std::vector<Record> records;
    records.reserve(awaiting_.size());
    for (AwaitingRow& a : awaiting_) records.push_back(std::move(a.record));
    Status status = [&]() -> Status {
      CS_ASSIGN_OR_RETURN(std::vector<std::optional<Record>> stored, store_.GetMany(def_->kind, records));
      if (stored.size() != records.size()) {
        return Status::Internal(
            fmt::format("{}: {} records looked up, {} answers", def_->id, records.size(), stored.size()));
      }
      for (size_t i = 0; i < awaiting_.size(); ++i) {
        const AwaitingRow& a = awaiting_[i];
        CS_RETURN_IF_ERROR(Apply(out, a.key, records[i], stored[i], a.row, a.raw_key));
      }
      return Status::Ok();
    }();
    awaiting_.clear();
    applying_ = false;
    deferred_errors_ += out.errors - errors_before;
    return status;
  }

  // Adds, leaves alone, or replaces `record` (file row `row`) against what is stored; `raw_key`
  // is its first key column as written, for the problem a differing stored record makes.
  Status Apply(FileOutcome& out, const std::string& key, Record& record, const std::optional<Record>& stored,
               int64_t row, std::string_view raw_key) {
    if (!stored) {
      ++out.added;
      if (txn_ && outcome_.errors() == 0) {
        // Into an empty table, on the writer thread (the record is swapped for a spare);
        // otherwise here, as the lookups read the same connection.
        if (!table_had_rows_) {
          CS_RETURN_IF_ERROR(inserter_.Insert(*txn_, def_->kind, record));
        } else {
          CS_RETURN_IF_ERROR(txn_->Insert(def_->kind, record));
        }
      }
      return Status::Ok();
    }
    if (SameStored(record, *stored)) {
      ++out.unchanged;
      return Status::Ok();
    }
    if (!options_.replace) {
      std::string diff;
      std::string diff_en;
      for (size_t i = 0; i < def_->columns.size(); ++i) {
        if (!(record[i] == (*stored)[i]) && def_->columns[i].from_input) {
          if (!diff.empty()) diff += "、";
          diff += def_->columns[i].id;
          diff_en += (diff_en.empty() ? "" : ", ") + std::string(def_->columns[i].id);
        }
      }
      bool refdata = def_->kind == Kind::kRegions || def_->kind == Kind::kIndustries;
      const auto* stored_name = TextOf((*stored)[1]);
      Report(Severity::kError, row, HeaderOf(def_->KeyColumns()[0]), std::string(raw_key),
             refdata ? "refdata.name" : "key.stored",
             refdata ? fmt::format("代码{}已存在，名称为“{}”；如需替换请用 --replace", KeyText(key),
                                   stored_name ? *stored_name : "")
                     : fmt::format("{}已存储且取值不同（{}）；如需替换请用 --replace，旧值将保留在历史中", KeyText(key),
                                   diff),
             refdata ? fmt::format("code {} is stored as \"{}\"; use --replace to replace it", KeyText(key),
                                   stored_name ? *stored_name : "")
                     : fmt::format("{} is stored with other values ({}); use --replace to replace it (the old values "
                                   "are kept in history)",
                                   KeyText(key), diff_en));
      return Status::Ok();
    }
    ++out.replaced;
    if (txn_ && outcome_.errors() == 0) {
      CS_RETURN_IF_ERROR(WriteLogEntry());
      CS_RETURN_IF_ERROR(txn_->Replace(def_->kind, record, *stored, log_entry_.id));
    }
    return Status::Ok();
  }

  struct MemberSpan {
    int64_t from;
    int64_t to;
    int64_t row;  // 0 = stored
  };
  struct DeferredParent {
    int64_t row;
    std::string column;  // the header of the cell the problem is reported against
    std::string value;   // that cell as given
    std::string parent;  // the parent code that must exist
    bool derived;        // the parent was worked out from the code, not given
  };

  Store& store_;
  const ImportOptions& options_;
  KnownKeys known_;
  int this_year_ = 0;
  std::unique_ptr<WriteTransaction> txn_;
  // Declared after txn_, so destroyed before it: its thread stops before the transaction rolls back.
  AsyncInserter inserter_;
  ImportOutcome outcome_;
  ImportLogEntry log_entry_;
  bool log_pending_ = false;  // log_entry_ is still to be written
  std::future<Result<std::string>> file_sha256_;

  // Per file.
  const KindDef* def_ = nullptr;
  std::vector<std::string> header_;
  HeaderMap map_;
  io::TableRow row_;
  Record record_;
  // Rows into a table that held rows when the file began, checked and waiting for their lookup
  // (ApplyAwaiting): a batch, or fewer when a problem is reported first.
  static constexpr size_t kLookupBatch = 2048;
  struct AwaitingRow {
    Record record;
    std::string key;
    int64_t row = 0;
    std::string raw_key;  // the first key column as written
  };
  std::vector<AwaitingRow> awaiting_;
  bool applying_ = false;
  Status awaiting_error_;        // a failure of ApplyAwaiting run from Report, returned by the row loop
  int64_t deferred_errors_ = 0;  // errors of awaiting rows reported while the current row was read
  bool row_valid_ = true;
  size_t file_problems_ = 0;
  FileKeys file_keys_;
  struct EarlierFile {
    std::string path;
    std::shared_ptr<const FileKeys> keys;
  };
  std::shared_ptr<const FileKeys> previous_keys_;  // the last file's, once it has been read
  std::vector<EarlierFile> earlier_files_;         // of this import, of kind earlier_kind_
  std::optional<Kind> earlier_kind_;
  std::string previous_path_;
  struct FoldedId {
    std::string spelling;
    std::string path;  // "" = stored
    int64_t row = 0;   // 0 = stored
  };
  std::unordered_map<std::string, FoldedId> folded_ids_;  // FoldCase(id) -> the id first seen
  std::optional<Kind> folded_ids_kind_;
  int id_key_column_ = -1;
  std::vector<DeferredParent> deferred_parents_;
  std::vector<ResolvedRule> rules_;
  std::vector<bool> unnamed_;    // per header cell: empty after normalising (its column has no name)
  bool table_had_rows_ = false;  // the file's table held rows when the file began
  int name_original_ = -1;       // the kind's name_original column, or -1
  bool member_spans_loaded_ = false;
  std::unordered_map<std::string, std::vector<MemberSpan>> member_spans_;
};

}  // namespace

int64_t ImportOutcome::errors() const {
  int64_t n = 0;
  for (const FileOutcome& f : files) n += f.errors;
  return n;
}

Result<ImportOutcome> Import(Store& store, std::vector<ImportInput> inputs, const ImportOptions& options) {
  ImportRun run(store, options);
  return run.Run(std::move(inputs));
}

std::string ProblemsCsv(const std::vector<Problem>& problems, int64_t total, Lang lang) {
  std::string out = "\xEF\xBB\xBF";
  out += lang == Lang::kZh ? io::SpreadsheetCsvLine({"文件", "行", "列", "值", "规则", "级别", "说明"})
                           : io::SpreadsheetCsvLine({"file", "row", "column", "value", "rule", "severity", "message"});
  for (const Problem& p : problems) {
    std::string sev(p.severity == Severity::kError ? Pick(lang, "错误", "error") : Pick(lang, "警告", "warning"));
    out += io::SpreadsheetCsvLine(
        {p.file, p.row > 0 ? std::to_string(p.row) : "", p.column, p.value, p.rule, sev, p.Message(lang)});
  }
  if (total > static_cast<int64_t>(problems.size())) {
    // Said in the file itself, so that nobody takes the list for complete.
    const int64_t left = total - static_cast<int64_t>(problems.size());
    out += io::SpreadsheetCsvLine(
        {"", "", "", "", "problems.truncated", std::string(Pick(lang, "说明", "note")),
         lang == Lang::kZh
             ? fmt::format("另有{}处问题未列出（每个文件最多列出{}处）", left, kMaxProblemsPerFile)
             : fmt::format("{} more problems not listed (at most {} are kept per file)", left, kMaxProblemsPerFile)});
  }
  return out;
}

}  // namespace clusterscope
