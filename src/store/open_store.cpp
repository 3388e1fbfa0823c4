#include <string_view>

#include "clusterscope/store.h"
#include "refdata/builtin.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"

namespace clusterscope {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const OpenOptions& options) {
  std::string_view u(url);
  if (store::IsPostgresUrl(u)) return store::OpenPostgresStore(url, options);
  if (u.starts_with("sqlite:")) u.remove_prefix(7);
  return store::OpenSqliteStore(std::string(u), options);
}

std::string RedactedUrl(std::string_view url) {
  return store::IsPostgresUrl(url) ? store::RedactUrl(url) : std::string(url);
}

Status InitDatabase(Store& store, int64_t* reference_rows_added) {
  // Built-in reference rows the store lacks, in Init's transaction; rows the user has imported are
  // left alone.
  int64_t added = 0;
  Status s = store.Init([&store, &added](WriteTransaction& txn) -> Status {
    for (const refdata::RegionEntry& e : refdata::BuiltinRegions()) {
      Record r = {std::string(e.code), std::string(e.name), e.parent.empty() ? Value{} : Value{std::string(e.parent)},
                  std::string(refdata::RegionLevel(e.code))};
      CS_ASSIGN_OR_RETURN(auto existing, store.Get(Kind::kRegions, r));
      if (!existing) {
        CS_RETURN_IF_ERROR(txn.Insert(Kind::kRegions, r));
        ++added;
      }
    }
    for (const refdata::IndustryEntry& e : refdata::BuiltinIndustries()) {
      Record r = {std::string(e.code),    std::string(e.name),
                  std::string(e.level),   e.parent.empty() ? Value{} : Value{std::string(e.parent)},
                  std::string(e.section), std::string(refdata::kIndustryEdition)};
      CS_ASSIGN_OR_RETURN(auto existing, store.Get(Kind::kIndustries, r));
      if (!existing) {
        CS_RETURN_IF_ERROR(txn.Insert(Kind::kIndustries, r));
        ++added;
      }
    }
    return Status::Ok();
  });
  if (s.ok() && reference_rows_added != nullptr) *reference_rows_added = added;
  return s;
}

}  // namespace clusterscope
