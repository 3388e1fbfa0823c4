#include "server/reply_cache.h"

#include "server/api.h"

namespace clusterscope::server {

std::shared_ptr<const HttpReply> ReplyCache::Find(int64_t generation, const std::string& key) {
  if (!enabled()) return nullptr;
  std::lock_guard lock(mu_);
  if (generation != generation_) return nullptr;
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : it->second.reply;
}

void ReplyCache::Put(int64_t generation, const std::string& key, std::shared_ptr<const HttpReply> reply) {
  if (!enabled()) return;
  size_t bytes = key.size() + reply->body.size() + reply->content_type.size() + sizeof(Entry);
  for (const auto& [k, v] : reply->headers) bytes += k.size() + v.size();
  if (bytes > max_bytes_ / 4) return;  // one answer may not push out most of the others
  std::lock_guard lock(mu_);
  if (generation < generation_) return;  // computed before a write another request already saw
  if (generation != generation_) {
    DropAll();
    generation_ = generation;
  }
  if (entries_.contains(key)) return;  // two requests answered the same question at once
  while (bytes_ + bytes > max_bytes_ && !oldest_first_.empty()) {
    auto it = entries_.find(oldest_first_.front());
    bytes_ -= it->second.bytes;
    entries_.erase(it);
    oldest_first_.pop_front();
  }
  oldest_first_.push_back(key);
  entries_[key] = {std::move(reply), bytes};
  bytes_ += bytes;
}

size_t ReplyCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

void ReplyCache::DropAll() {
  entries_.clear();
  oldest_first_.clear();
  bytes_ = 0;
}

}  // namespace clusterscope::server
