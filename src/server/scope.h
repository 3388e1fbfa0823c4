// Roles and scopes (api.md "Roles and scopes") as a filter: which zones, clusters, firms and
// regions a principal may see. Built from the register once per store generation and shared by
// every request, so a filter costs a hash lookup, not a query.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "clusterscope/status.h"
#include "clusterscope/users.h"
#include "clusterscope/workspace.h"

namespace clusterscope::server {

// Where every zone, cluster and firm sits, read from the register.
struct RegisterIndex {
  int64_t generation = -1;
  std::unordered_map<std::string, std::string> zone_region;   // zone_id → region_code
  std::unordered_map<std::string, std::string> cluster_zone;  // cluster_id → zone_id
  struct Firm {
    std::string region;
    std::string zone;
  };
  std::unordered_map<std::string, Firm> firms;                              // uscc → where
  std::unordered_map<std::string, std::vector<std::string>> firm_clusters;  // uscc → clusters
  struct Membership {
    std::string cluster;
    std::string uscc;
    int64_t from = 0;
    int64_t to = 0;  // 0 = open
  };
  std::vector<Membership> memberships;

  static Result<std::shared_ptr<const RegisterIndex>> Build(Workspace& ws, int64_t generation);
};

// A principal's view. Entities added during an import (a province's new zone, then its clusters
// and firms) are admitted for the rest of that import with Admit…().
class Scope {
 public:
  Scope(const User& user, std::shared_ptr<const RegisterIndex> index) : user_(user), index_(std::move(index)) {}

  bool Everything() const { return user_.role == Role::kNational || user_.role == Role::kAnalyst; }
  bool Zone(const std::string& zone_id) const;
  bool Cluster(const std::string& cluster_id) const;
  bool Firm(const std::string& uscc) const;
  bool Region(const std::string& code) const;

  // The checks for one import row of `kind` (importer's check_record): OK, or kInvalidInput with
  // id scope.forbidden naming the row, which the server answers with 403.
  Status CheckImportRow(Kind kind, const Record& record, int64_t row);

  const RegisterIndex& index() const { return *index_; }

 private:
  bool ZoneRegionInProvince(const std::string& region_code) const;
  User user_;
  std::shared_ptr<const RegisterIndex> index_;
  std::unordered_set<std::string> new_zones_, new_clusters_, new_firms_;
};

}  // namespace clusterscope::server
