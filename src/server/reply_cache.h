// Finished answers of data reads, kept for the next identical question (docs/server.md,
// "Response cache"). The key is the whole question: the store's generation (any committed write,
// by any process, moves it, so nothing stale is ever answered), the caller's role and scope (what
// the filters let through), the language and the request target. Only 200 answers of the routes
// the table marks as cached are kept (aggregates and the register; never the access tables:
// sessions, submissions, audit). Bounded in bytes: the oldest entries go first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace clusterscope::server {

struct HttpReply;

class ReplyCache {
 public:
  explicit ReplyCache(size_t max_bytes) : max_bytes_(max_bytes) {}
  bool enabled() const { return max_bytes_ > 0; }

  // The answer kept for `key` at `generation`, or nullptr.
  std::shared_ptr<const HttpReply> Find(int64_t generation, const std::string& key);
  // Keeps `reply` (a 200) for `key`; an entry of another generation is dropped with all its kind.
  void Put(int64_t generation, const std::string& key, std::shared_ptr<const HttpReply> reply);

  size_t bytes() const;

 private:
  struct Entry {
    std::shared_ptr<const HttpReply> reply;
    size_t bytes = 0;
  };
  void DropAll();  // with mu_ held
  const size_t max_bytes_;
  mutable std::mutex mu_;
  int64_t generation_ = -1;
  size_t bytes_ = 0;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> oldest_first_;
};

}  // namespace clusterscope::server
