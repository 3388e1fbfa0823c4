#include "server/scope.h"

#include <fmt/format.h>
#include <algorithm>

namespace clusterscope::server {
namespace {

std::string Text(const Record& r, Kind kind, std::string_view column) { return TextOf(r, Describe(kind), column); }

Status Forbidden(int64_t row, std::string_view what, const std::string& id) {
  return Status::InvalidInput(fmt::format("row {}: {} \"{}\" is outside your scope / 第{}行：{}“{}”不在您的权限范围内",
                                          row, what, id, row, what, id))
      .WithId("scope.forbidden");
}

}  // namespace

Result<std::shared_ptr<const RegisterIndex>> RegisterIndex::Build(Workspace& ws, int64_t generation) {
  auto index = std::make_shared<RegisterIndex>();
  index->generation = generation;
  CS_ASSIGN_OR_RETURN(auto zones, ws.List(Kind::kZones, {}));
  for (const Record& r : zones)
    index->zone_region[Text(r, Kind::kZones, "zone_id")] = Text(r, Kind::kZones, "region_code");
  CS_ASSIGN_OR_RETURN(auto clusters, ws.List(Kind::kClusters, {}));
  for (const Record& r : clusters) {
    index->cluster_zone[Text(r, Kind::kClusters, "cluster_id")] = Text(r, Kind::kClusters, "zone_id");
  }
  CS_ASSIGN_OR_RETURN(auto firms, ws.List(Kind::kFirms, {}));
  for (const Record& r : firms) {
    index->firms[Text(r, Kind::kFirms, "uscc")] = {Text(r, Kind::kFirms, "region_code"),
                                                   Text(r, Kind::kFirms, "zone_id")};
  }
  const KindDef& m = Describe(Kind::kMembers);
  CS_ASSIGN_OR_RETURN(auto members, ws.Memberships());
  for (const Record& r : members) {
    Membership ms{TextOf(r, m, "cluster_id"), TextOf(r, m, "uscc"), IntOf(r, m, "from_year").value_or(0),
                  IntOf(r, m, "to_year").value_or(0)};
    auto& list = index->firm_clusters[ms.uscc];
    if (std::find(list.begin(), list.end(), ms.cluster) == list.end()) list.push_back(ms.cluster);
    index->memberships.push_back(std::move(ms));
  }
  return std::shared_ptr<const RegisterIndex>(std::move(index));
}

bool Scope::ZoneRegionInProvince(const std::string& region_code) const {
  return user_.role == Role::kProvince && region_code.size() >= 2 && region_code.compare(0, 2, user_.scope) == 0;
}

bool Scope::Zone(const std::string& zone_id) const {
  if (new_zones_.contains(zone_id)) return true;
  auto it = index_->zone_region.find(zone_id);
  if (it == index_->zone_region.end()) return false;
  switch (user_.role) {
    case Role::kNational:
    case Role::kAnalyst:
      return true;
    case Role::kProvince:
      return ZoneRegionInProvince(it->second);
    case Role::kZone:
      return zone_id == user_.scope;
    default:
      return false;
  }
}

bool Scope::Cluster(const std::string& cluster_id) const {
  if (new_clusters_.contains(cluster_id)) return true;
  auto it = index_->cluster_zone.find(cluster_id);
  if (it == index_->cluster_zone.end()) return false;
  if (user_.role == Role::kFirm) {
    auto f = index_->firm_clusters.find(user_.scope);
    return f != index_->firm_clusters.end() &&
           std::find(f->second.begin(), f->second.end(), cluster_id) != f->second.end();
  }
  return Everything() || Zone(it->second);
}

bool Scope::Firm(const std::string& uscc) const {
  if (new_firms_.contains(uscc)) return true;
  auto it = index_->firms.find(uscc);
  if (it == index_->firms.end()) return false;
  switch (user_.role) {
    case Role::kNational:
      return true;
    case Role::kProvince:
      return ZoneRegionInProvince(it->second.region) || (!it->second.zone.empty() && Zone(it->second.zone));
    case Role::kZone: {
      if (it->second.zone == user_.scope) return true;
      auto f = index_->firm_clusters.find(uscc);
      if (f == index_->firm_clusters.end()) return false;
      for (const std::string& c : f->second) {
        auto z = index_->cluster_zone.find(c);
        if (z != index_->cluster_zone.end() && z->second == user_.scope) return true;
      }
      return false;
    }
    case Role::kFirm:
      return uscc == user_.scope;
    default:
      return false;  // analysts see no firm-level record; admins no data
  }
}

bool Scope::Region(const std::string& code) const {
  if (Everything()) return true;
  return ZoneRegionInProvince(code);
}

Status Scope::CheckImportRow(Kind kind, const Record& r, int64_t row) {
  if (user_.role == Role::kNational) return Status::Ok();
  switch (kind) {
    case Kind::kZones: {
      const std::string id = Text(r, kind, "zone_id");
      if (user_.role != Role::kProvince || !ZoneRegionInProvince(Text(r, kind, "region_code"))) {
        return Forbidden(row, "zone", id);
      }
      // An existing zone moved into the province from outside it is not the province's to move.
      if (index_->zone_region.contains(id) && !Zone(id)) return Forbidden(row, "zone", id);
      new_zones_.insert(id);
      return Status::Ok();
    }
    case Kind::kClusters: {
      const std::string id = Text(r, kind, "cluster_id");
      if (user_.role != Role::kProvince || !Zone(Text(r, kind, "zone_id"))) return Forbidden(row, "cluster", id);
      if (index_->cluster_zone.contains(id) && !Cluster(id)) return Forbidden(row, "cluster", id);
      new_clusters_.insert(id);
      return Status::Ok();
    }
    case Kind::kFirms: {
      const std::string id = Text(r, kind, "uscc");
      const std::string zone = Text(r, kind, "zone_id");
      bool ok = index_->firms.contains(id) ? Firm(id) : false;
      if (!ok && user_.role == Role::kProvince) ok = ZoneRegionInProvince(Text(r, kind, "region_code"));
      if (!ok && !zone.empty()) ok = Zone(zone);
      if (!ok || (user_.role != Role::kProvince && user_.role != Role::kZone)) return Forbidden(row, "firm", id);
      new_firms_.insert(id);
      return Status::Ok();
    }
    case Kind::kMembers:
    case Kind::kInstitutions: {
      const std::string id = Text(r, kind, "cluster_id");
      if ((user_.role != Role::kProvince && user_.role != Role::kZone) || !Cluster(id)) {
        return Forbidden(row, "cluster", id);
      }
      if (kind == Kind::kMembers) new_firms_.insert(Text(r, kind, "uscc"));
      return Status::Ok();
    }
    case Kind::kReports: {
      const std::string id = Text(r, kind, "uscc");
      if (!Firm(id)) return Forbidden(row, "firm", id);
      return Status::Ok();
    }
    default:
      return Forbidden(row, "kind", std::string(KindId(kind)));
  }
}

}  // namespace clusterscope::server
