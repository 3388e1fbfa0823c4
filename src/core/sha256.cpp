// SHA-256 through libcrypto (OpenSSL 3), which uses the CPU's SHA instructions where it has them:
// a 162 MB report file hashes in about 0.1 s instead of 0.8 s, on a thread that otherwise takes a
// core from the import's parser.
#include "core/sha256.h"

#include <openssl/evp.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace clusterscope::sha256 {
namespace {

using Context = std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)>;

Context NewContext() {
  Context ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  // Allocation or initialisation fails only when memory is exhausted: nothing to report then.
  if (ctx == nullptr || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) std::abort();
  return ctx;
}

std::string HexOf(EVP_MD_CTX* ctx) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx, digest.data(), &size) != 1) std::abort();
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    hex += kDigits[digest[i] >> 4];
    hex += kDigits[digest[i] & 15];
  }
  return hex;
}

void Add(EVP_MD_CTX* ctx, const void* data, size_t size) {
  if (EVP_DigestUpdate(ctx, data, size) != 1) std::abort();
}

}  // namespace

struct Stream::Impl {
  Context ctx = NewContext();
};
Stream::Stream() : impl_(std::make_unique<Impl>()) {}
Stream::~Stream() = default;
void Stream::Update(std::string_view data) { Add(impl_->ctx.get(), data.data(), data.size()); }
std::string Stream::Finish() { return HexOf(impl_->ctx.get()); }

std::string Hex(std::string_view data) {
  Context ctx = NewContext();
  Add(ctx.get(), data.data(), data.size());
  return HexOf(ctx.get());
}

Result<std::string> FileHex(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return Status::Environment(path + ": cannot read");
  Context ctx = NewContext();
  std::array<unsigned char, 1 << 16> buf{};
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0) Add(ctx.get(), buf.data(), n);
  if (std::ferror(f.get())) return Status::Environment(path + ": read error");
  return HexOf(ctx.get());
}

}  // namespace clusterscope::sha256
