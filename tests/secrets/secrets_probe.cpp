// secrets_probe: a small program the secrets tests run as a separate process, so that what they
// inspect (/proc/self/status, the core-dump limit, its whole memory) belongs to a clean process
// that did only what the test asked.
//
//   secrets_probe harden                 harden_process(), then print Dumpable, RLIMIT_CORE
//   secrets_probe segv [--no-harden]     raise the core limit to unlimited, harden_process()
//                                        (unless --no-harden: the positive control), raise SIGSEGV
//   secrets_probe vmlck DIR              create a vault in DIR, print VmLck open and after lock()
//   secrets_probe memdump DIR            create a vault, add and read a canary note, then scan the
//                                        process's own memory (/proc/self/maps + /proc/self/mem)
//                                        for the passphrase, the master key and its sub-keys, the
//                                        SQLCipher key string and the note text: once while open
//                                        (the scanner's positive control), once after lock()
//   secrets_probe memdump-import DIR     a child process exports a canary note from vault A in an
//                                        archive to vault B; this process scans ("exported": before
//                                        the import), imports it into B, and scans while B is open
//                                        (positive control) and after its lock()
//   secrets_probe memdump-review DIR     a child process (the organizer) sends a summary package
//                                        with the canary note to vault P (this process), which
//                                        imports it ("package-open", "package-locked" after lock);
//                                        P answers with a canary correction; a second child,
//                                        forked before P wrote it, imports the response into the
//                                        organizer's vault and scans itself ("response-open",
//                                        "response-locked")
//
// The secrets it looks for are never literals in this program (they would sit in .rodata and be
// found there): they are built at run time, XOR-masked, in one mmap'd block that the scan skips.
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <csignal>
#include <cstdlib>
#include <span>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "backchannel/core/archive.h"
#include "backchannel/core/identity.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/review.h"
#include "backchannel/core/search.h"
#include "backchannel/core/vault.h"
#include "backchannel/crypto/subkey.h"
#include "backchannel/storage/key_file.h"
#include "backchannel/storage/vault_store.h"

namespace {

using namespace bc;

std::string status_field(const char* name) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(name) + ":";
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0) {
      std::string v = line.substr(prefix.size());
      v.erase(0, v.find_first_not_of(" \t"));
      return v;
    }
  return "?";
}

std::string limit_text(rlim_t v) { return v == RLIM_INFINITY ? "unlimited" : std::to_string(v); }

int cmd_harden() {
  if (auto st = core::harden_process(); !st) {
    std::fprintf(stderr, "harden_process: %s\n", st.error().message.c_str());
    return 2;
  }
  struct rlimit rl {};
  ::getrlimit(RLIMIT_CORE, &rl);
  // Linux's /proc/self/status has no "Dumpable:" line (CoreDumping: is something else), so the
  // flag is read with PR_GET_DUMPABLE; another process's flag shows in who owns its /proc files.
  std::printf("Dumpable: %d\nCoreDumping: %s\ncore_soft: %s\ncore_hard: %s\n", ::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0),
              status_field("CoreDumping").c_str(), limit_text(rl.rlim_cur).c_str(), limit_text(rl.rlim_max).c_str());
  return 0;
}

int cmd_segv(bool harden) {
  struct rlimit unlimited {RLIM_INFINITY, RLIM_INFINITY};
  if (::setrlimit(RLIMIT_CORE, &unlimited) != 0) {
    struct rlimit rl {};
    ::getrlimit(RLIMIT_CORE, &rl);
    rl.rlim_cur = rl.rlim_max;  // not root: as high as allowed
    ::setrlimit(RLIMIT_CORE, &rl);
  }
  ::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);  // as a fresh process would be
  if (harden) {
    if (auto st = core::harden_process(); !st) {
      std::fprintf(stderr, "harden_process: %s\n", st.error().message.c_str());
      return 2;
    }
  }
  std::signal(SIGSEGV, SIG_DFL);  // a sanitizer runtime's handler would turn the signal into an exit
  std::fflush(nullptr);
  ::raise(SIGSEGV);
  return 3;  // not reached
}

// ---- secrets kept where the scan does not look ----

constexpr std::uint8_t kMask = 0xA5;

/// An mmap'd block holding the needles (masked until used) and the scan's read buffer.
struct Needles {
  static constexpr std::size_t kSize = 1 << 20;
  std::uint8_t* base = nullptr;
  std::size_t used = 0;
  struct Entry {
    std::string name;
    std::uint8_t* p;
    std::size_t n;
  };
  std::vector<Entry> entries;

  Needles() {
    base = static_cast<std::uint8_t*>(::mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (base == MAP_FAILED) std::abort();
  }
  std::uint8_t* alloc(std::size_t n) {
    std::uint8_t* p = base + used;
    used += (n + 15) & ~std::size_t{15};
    if (used > kSize / 2) std::abort();
    return p;
  }
  /// Adds a needle from bytes given masked with kMask.
  std::span<std::uint8_t> add_masked(const std::string& name, const std::vector<std::uint8_t>& masked) {
    std::uint8_t* p = alloc(masked.size());
    for (std::size_t i = 0; i < masked.size(); ++i) p[i] = masked[i] ^ kMask;
    entries.push_back({name, p, masked.size()});
    return {p, masked.size()};
  }
  void add_bytes(const std::string& name, std::span<const std::uint8_t> bytes) {
    std::uint8_t* p = alloc(bytes.size());
    std::memcpy(p, bytes.data(), bytes.size());
    entries.push_back({name, p, bytes.size()});
  }
  std::uint8_t* scratch() { return base + kSize / 2; }
  static constexpr std::size_t kScratch = kSize / 2;
};

/// The masked form of `s` with every byte XORed with kMask, computed at compile time, so the
/// clear text never appears in the binary.
template <std::size_t N>
struct Masked {
  std::uint8_t b[N - 1];
  consteval Masked(const char (&s)[N]) : b{} {
    for (std::size_t i = 0; i + 1 < N; ++i) b[i] = static_cast<std::uint8_t>(static_cast<std::uint8_t>(s[i]) ^ kMask);
  }
  std::vector<std::uint8_t> vec() const { return {b, b + N - 1}; }
};

std::string to_hex(std::span<const std::uint8_t> b) {
  static const char* k = "0123456789abcdef";
  std::string s;
  for (auto c : b) {
    s += k[c >> 4];
    s += k[c & 15];
  }
  return s;
}

struct Region {
  std::uintptr_t lo, hi;
  std::string perms, name;
};

std::vector<Region> read_maps() {
  std::vector<Region> out;
  std::ifstream in("/proc/self/maps");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string range, perms, off, dev, inode, name;
    ls >> range >> perms >> off >> dev >> inode;
    std::getline(ls, name);
    name.erase(0, name.find_first_not_of(' '));
    const auto dash = range.find('-');
    out.push_back({std::stoull(range.substr(0, dash), nullptr, 16), std::stoull(range.substr(dash + 1), nullptr, 16),
                   perms, name});
  }
  return out;
}

/// Scans every readable mapping (read through /proc/self/mem, so guard pages and unreadable
/// mappings neither fault nor stop it) except the needle block; prints one line per needle.
int scan(Needles& nd, const char* phase) {
  const auto maps = read_maps();
  const int fd = ::open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::perror("/proc/self/mem");
    return -1;
  }
  std::vector<std::size_t> hits(nd.entries.size(), 0);
  std::vector<std::string> where(nd.entries.size());
  std::size_t scanned = 0;
  const auto self_lo = reinterpret_cast<std::uintptr_t>(nd.base);
  const auto self_hi = self_lo + Needles::kSize;
  std::size_t max_needle = 0;
  for (auto& e : nd.entries) max_needle = std::max(max_needle, e.n);
  for (const auto& r : maps) {
    if (r.lo < self_hi && r.hi > self_lo) continue;  // the needles themselves
    if (r.name == "[vvar]" || r.name == "[vsyscall]" || r.name == "[vvar_vclock]") continue;
    if (r.perms[0] != 'r') continue;  // PROT_NONE: guard pages and freed sodium_malloc areas
    if (r.hi - r.lo > (std::uintptr_t{1} << 32)) continue;
    // Read in chunks that overlap by the longest needle, so a match across a boundary is found.
    std::uintptr_t pos = r.lo;
    std::size_t carry = 0;
    std::uint8_t* buf = nd.scratch();
    while (pos < r.hi) {
      const std::size_t want = std::min<std::size_t>(Needles::kScratch - carry, r.hi - pos);
      const ssize_t got = ::pread(fd, buf + carry, want, static_cast<off_t>(pos));
      if (got <= 0) break;
      scanned += static_cast<std::size_t>(got);
      const std::size_t len = carry + static_cast<std::size_t>(got);
      for (std::size_t i = 0; i < nd.entries.size(); ++i) {
        const auto& e = nd.entries[i];
        const std::uint8_t* p = buf;
        const std::uint8_t* end = buf + len;
        while (p + e.n <= end) {
          const void* f = ::memmem(p, static_cast<std::size_t>(end - p), e.p, e.n);
          if (f == nullptr) break;
          const auto* q = static_cast<const std::uint8_t*>(f);
          // a match entirely inside the carried-over prefix was counted in the previous chunk
          if (static_cast<std::size_t>(q - buf) + e.n > carry) {
            ++hits[i];
            if (std::getenv("BC_PROBE_CONTEXT") != nullptr) {  // debugging: what surrounds a hit
              const std::uint8_t* c0 = std::max<const std::uint8_t*>(buf, q - 48);
              const std::uint8_t* c1 = std::min<const std::uint8_t*>(end, q + e.n + 48);
              // A stack buffer and write(2): stdio's heap buffer would keep the bytes in memory.
              char ctx[256];
              std::size_t k = 0;
              for (const std::uint8_t* c = c0; c < c1 && k < sizeof ctx - 1; ++c)
                ctx[k++] = (*c >= 32 && *c < 127) ? char(*c) : (*c >= 0x80 ? '~' : '.');
              ctx[k++] = '\n';
              (void)!::write(2, ctx, k);
            }
            const std::string tag = r.name.empty() ? std::string("[anon ") + r.perms + "]" : r.name;
            if (where[i].find(tag) == std::string::npos) where[i] += (where[i].empty() ? "" : ",") + tag;
          }
          p = q + 1;
        }
      }
      pos += static_cast<std::uintptr_t>(got);
      carry = std::min(max_needle - 1, len);
      std::memmove(buf, buf + len - carry, carry);
    }
  }
  ::close(fd);
  std::memset(nd.scratch(), 0, Needles::kScratch);
  std::printf("phase %s scanned %zu bytes\n", phase, scanned);
  for (std::size_t i = 0; i < nd.entries.size(); ++i)
    std::printf("%s %s %zu %s\n", phase, nd.entries[i].name.c_str(), hits[i], where[i].empty() ? "-" : where[i].c_str());
  std::fflush(stdout);
  return 0;
}

// Masked at compile time; the clear text exists only in the needle block at run time.
constexpr Masked kPassphrase("MEMzq5passphrase-Kestrel-88-lantern");
constexpr Masked kNoteLatin("MEMCANARYzq7Latin");
constexpr Masked kNotePersian("\xd9\x82\xd9\x86\xd8\xa7\xd8\xb1\xdb\x8c\xd8\xb2\xd9\x82\xd9\x85\xd8\xad\xd9\x81\xd9\x88\xd8\xb8");  // قناریزقمحفوظ

/// Builds a std::string from a needle for an API that takes one, and wipes it afterwards.
struct Plain {
  std::string s;
  explicit Plain(std::span<const std::uint8_t> b) : s(reinterpret_cast<const char*>(b.data()), b.size()) {}
  ~Plain() { crypto::wipe(s.data(), s.size()); }
};

int cmd_memdump(const std::string& dir, bool vmlck_only) {
  Needles nd;
  auto pass = nd.add_masked("passphrase", kPassphrase.vec());
  auto latin = nd.add_masked("note-latin", kNoteLatin.vec());
  auto persian = nd.add_masked("note-persian", kNotePersian.vec());
  // The search text the product stores is case-folded.
  {
    std::vector<std::uint8_t> lower(latin.begin(), latin.end());
    for (auto& c : lower) c = static_cast<std::uint8_t>(std::tolower(c));
    nd.add_bytes("note-latin-folded", lower);
  }
  std::printf("VmLck before: %s\n", status_field("VmLck").c_str());
  {
    auto created = [&] {
      crypto::SecureBuffer pw = crypto::SecureBuffer::copy_of(std::span<const std::uint8_t>(pass));
      return core::Vault::create(dir, pw, crypto::KdfProfile::interactive);
    }();
    if (!created) {
      std::fprintf(stderr, "create: %s\n", created.error().message.c_str());
      return 2;
    }
    core::Vault vault = std::move(created->vault);
    nd.add_bytes("recovery-code", created->recovery_code.span());
    created->recovery_code = crypto::SecureBuffer();
    std::printf("VmLck open: %s\n", status_field("VmLck").c_str());
    if (vmlck_only) {
      vault.lock();
      std::printf("VmLck locked: %s\n", status_field("VmLck").c_str());
      return 0;
    }
    // The master key and the keys derived from it, recomputed from vault.keys the way the
    // product does (Argon2id, unwrap, crypto_kdf), so the scan knows their bytes.
    {
      auto keys = storage::load_key_file(std::filesystem::path(dir) / storage::kKeysFile);
      if (!keys) return 2;
      auto master = storage::open_slot(*keys->find(storage::SlotType::passphrase), *keys, pass);
      if (!master) return 2;
      nd.add_bytes("master-key", master->span());
      auto dbk = crypto::derive_subkey(*master, crypto::SubkeyPurpose::database);
      nd.add_bytes("database-key", dbk.span());
      const std::string hex = to_hex(dbk.span());
      nd.add_bytes("database-key-hex", std::span(reinterpret_cast<const std::uint8_t*>(hex.data()), hex.size()));
      crypto::wipe(const_cast<char*>(hex.data()), hex.size());
      for (auto [name, purpose] : {std::pair{"audit-key", crypto::SubkeyPurpose::audit_mac},
                                   std::pair{"pseudonym-key", crypto::SubkeyPurpose::pseudonym},
                                   std::pair{"identity-key", crypto::SubkeyPurpose::identity}}) {
        auto k = crypto::derive_subkey(*master, purpose);
        nd.add_bytes(name, k.span());
      }
    }
    auto series = core::ensure_series(vault, "Memory series", core::Rule::chatham_house);
    if (!series) return 2;
    core::NewMeeting m;
    m.series_id = *series;
    m.title = "Memory meeting";
    m.starts_at = "2026-11-29T10:00:00Z";
    auto meeting = core::create_meeting(vault, m);
    if (!meeting) return 2;
    std::int64_t note_id = 0;
    {
      core::NewNote n;
      n.meeting_id = *meeting;
      Plain a(latin), b(persian);
      // Built in place (no temporaries, no reallocation) so the test leaves no copy behind.
      n.text.reserve(256);
      n.text.append("Memory note ").append(a.s).append(" and ").append(b.s).append(" end");
      auto id = core::add_note(vault, n);
      crypto::wipe(n.text.data(), n.text.size());
      if (!id) {
        std::fprintf(stderr, "add_note: %s\n", id.error().message.c_str());
        return 2;
      }
      note_id = *id;
    }
    {
      auto got = core::get_note(vault, note_id);
      if (!got) return 2;
      crypto::wipe(got->text.data(), got->text.size());
      Plain q(latin);
      auto hits = core::search_notes(vault, q.s);
      if (!hits || hits->size() != 1) {
        std::fprintf(stderr, "search did not find the note\n");
        return 2;
      }
      // wipe every string the test holds (the snippet carries note text)
      for (auto& h : *hits) crypto::wipe(h.snippet.data(), h.snippet.size());
    }
    if (scan(nd, "open") != 0) return 2;
    vault.lock();
  }  // the Vault and everything it held are destroyed here
  if (scan(nd, "locked") != 0) return 2;
  return 0;
}


/// Adds the canary note (`latin` and `persian` inside) to a new meeting of `vault`.
bool add_canary_note(core::Vault& vault, std::span<const std::uint8_t> latin, std::span<const std::uint8_t> persian) {
  auto series = core::ensure_series(vault, "Memory series", core::Rule::chatham_house);
  if (!series) return false;
  core::NewMeeting m;
  m.series_id = *series;
  m.title = "Memory meeting";
  m.starts_at = "2026-11-29T10:00:00Z";
  auto meeting = core::create_meeting(vault, m);
  if (!meeting) return false;
  core::NewNote n;
  n.meeting_id = *meeting;
  Plain a(latin), b(persian);
  // Built in place (no temporaries, no reallocation) so the test leaves no copy behind.
  n.text.reserve(256);
  // The canaries sit well inside the text: malloc writes its free-list pointers over the first
  // bytes of a freed block, which would hide a copy left in freed heap.
  n.text.append("Memory note, long enough that the canaries are far from either end of any copy: ")
      .append(a.s).append(" and ").append(b.s).append(" and the text goes on a while longer after them.");
  auto id = core::add_note(vault, n);
  crypto::wipe(n.text.data(), n.text.size());
  if (!id) std::fprintf(stderr, "add_note: %s\n", id.error().message.c_str());
  return id.ok();
}

// The passphrase of the probe's vaults (not a needle: no test looks for it).
constexpr const char* kOrganizerPass = "MEMzq5import-Heron-41-lantern";

Result<core::Vault> new_vault(const std::string& dir) {
  crypto::SecureBuffer pw = crypto::SecureBuffer::copy_of(std::string_view(kOrganizerPass));
  BC_ASSIGN(auto created, core::Vault::create(dir, pw, crypto::KdfProfile::interactive));
  return std::move(created.vault);
}

// The reader's side of an archive: everything the import decrypted and parsed must be gone once
// the importing vault is locked (docs/security.md, "Memory").
int cmd_memdump_import(const std::string& dir) {
  Needles nd;
  auto latin = nd.add_masked("note-latin", kNoteLatin.vec());
  auto persian = nd.add_masked("note-persian", kNotePersian.vec());
  {
    std::vector<std::uint8_t> lower(latin.begin(), latin.end());
    for (auto& c : lower) c = static_cast<std::uint8_t>(std::tolower(c));
    nd.add_bytes("note-latin-folded", lower);
  }
  std::filesystem::create_directories(dir);
  auto b = new_vault(dir + "/b");
  if (!b) return 2;
  auto b_id = core::vault_identity(*b);
  if (!b_id) return 2;
  // Vault A writes the archive in a child process, so that everything the scan finds in this
  // one comes from the import.
  const std::string archive_path = dir + "/archive.age", fingerprint_path = dir + "/a.fingerprint";
  const pid_t child = ::fork();
  if (child < 0) return 2;
  if (child == 0) {
    auto a = new_vault(dir + "/a");
    if (!a || !add_canary_note(*a, latin, persian)) ::_exit(2);
    auto a_id = core::vault_identity(*a);
    if (!a_id) ::_exit(2);
    std::ofstream(fingerprint_path) << a_id->fingerprint;
    std::ofstream out(archive_path, std::ios::binary);
    core::ExportOptions o;
    o.recipients.push_back(*crypto::age::X25519Recipient::parse(b_id->recipient));
    auto exported = core::export_archive(*a, o, [&](std::span<const std::uint8_t> d) -> Status {
      out.write(reinterpret_cast<const char*>(d.data()), static_cast<std::streamsize>(d.size()));
      return {};
    });
    ::_exit(exported && exported->notes == 1 && out.good() ? 0 : 2);
  }
  int status = 0;
  if (::waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "the exporting child failed\n");
    return 2;
  }
  std::string a_fingerprint;
  std::ifstream(fingerprint_path) >> a_fingerprint;
  std::ifstream in(archive_path, std::ios::binary);
  const std::vector<std::uint8_t> archive((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (scan(nd, "exported") != 0) return 2;
  {
    std::size_t pos = 0;
    core::ImportOptions o;
    o.trust_fingerprint = a_fingerprint;
    auto imported = core::import_archive(*b, [&](std::span<std::uint8_t> buf) -> Result<std::size_t> {
      const std::size_t n = std::min(buf.size(), archive.size() - pos);
      std::memcpy(buf.data(), archive.data() + pos, n);
      pos += n;
      return n;
    }, o);
    if (!imported || imported->notes_added != 1) {
      std::fprintf(stderr, "import: %s\n", imported ? "no note added" : imported.error().message.c_str());
      return 2;
    }
  }
  if (scan(nd, "open") != 0) return 2;
  b->lock();
  if (scan(nd, "locked") != 0) return 2;
  return 0;
}

constexpr Masked kCorrection("MEMRESPONSEzq7Correction");

/// Reads a whole file (ciphertext, fingerprints).
std::vector<std::uint8_t> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

crypto::age::ReadFn reader_of(const std::vector<std::uint8_t>& bytes, std::size_t& pos) {
  return [&bytes, &pos](std::span<std::uint8_t> buf) -> Result<std::size_t> {
    const std::size_t n = std::min(buf.size(), bytes.size() - pos);
    std::memcpy(buf.data(), bytes.data() + pos, n);
    pos += n;
    return n;
  };
}

Status write_to(const std::string& path, const std::function<Status(const crypto::age::WriteFn&)>& produce) {
  std::ofstream out(path, std::ios::binary);
  BC_TRY(produce([&](std::span<const std::uint8_t> d) -> Status {
    out.write(reinterpret_cast<const char*>(d.data()), static_cast<std::streamsize>(d.size()));
    return {};
  }));
  return out.good() ? Status{} : fail(ErrorCode::io, "write failed");
}

// The reader's side of a summary package and of a response (see the usage at the top).
int cmd_memdump_review(const std::string& dir) {
  Needles nd;
  auto latin = nd.add_masked("note-latin", kNoteLatin.vec());
  auto persian = nd.add_masked("note-persian", kNotePersian.vec());
  auto correction = nd.add_masked("correction", kCorrection.vec());
  std::filesystem::create_directories(dir);
  auto p = new_vault(dir + "/p");
  if (!p) return 2;
  auto p_id = core::vault_identity(*p);
  if (!p_id) return 2;
  const std::string out_dir = dir + "/packages", response_path = dir + "/response.age";
  // The organizer: a meeting whose participant "b" (vault P) said the canary; a package for b.
  const pid_t organizer = ::fork();
  if (organizer < 0) return 2;
  if (organizer == 0) {
    auto o = new_vault(dir + "/o");
    if (!o) ::_exit(2);
    auto series = core::ensure_series(*o, "Memory series", core::Rule::chatham_house);
    if (!series) ::_exit(2);
    core::NewMeeting m;
    m.series_id = *series;
    m.title = "Memory meeting";
    m.starts_at = "2026-11-29T10:00:00Z";
    auto meeting = core::create_meeting(*o, m);
    if (!meeting) ::_exit(2);
    core::NewParticipant b;
    b.key = "b";
    b.name = "Bahram Tehrani";
    b.disclosure = {core::DisclosureLevel::named, core::DisclosureLevel::anonymous};
    if (!core::add_participant(*o, *meeting, b)) ::_exit(2);
    core::ParticipantUpdate u;
    u.recipient = p_id->recipient;
    if (!core::update_participant(*o, *meeting, "b", u).ok()) ::_exit(2);
    core::NewNote n;
    n.meeting_id = *meeting;
    n.speaker_key = "b";
    Plain a(latin), c(persian);
    n.text.reserve(256);
    n.text.append("Memory note, long enough that the canaries are far from either end of any copy: ")
        .append(a.s).append(" and ").append(c.s).append(" and the text goes on a while longer after them.");
    if (!core::add_note(*o, n)) ::_exit(2);
    auto files = core::package_summaries(*o, *meeting, core::Audience::participants, {core::PackageTarget{"b", std::nullopt}}, out_dir);
    auto o_id = core::vault_identity(*o);
    if (!files || files->size() != 1 || !o_id) ::_exit(2);
    std::filesystem::rename(files->front().path, dir + "/package.age");
    std::ofstream(dir + "/o.fingerprint") << o_id->fingerprint;
    ::_exit(0);
  }
  int status = 0;
  if (::waitpid(organizer, &status, 0) != organizer || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "the organizer's child failed\n");
    return 2;
  }
  // The organizer again, for the response: forked now, before this process writes the
  // correction, and started once the response file exists.
  int go[2];
  if (::pipe(go) != 0) return 2;
  std::fflush(stdout);
  const pid_t importer = ::fork();
  if (importer < 0) return 2;
  if (importer == 0) {
    ::close(go[1]);
    char c = 0;
    if (::read(go[0], &c, 1) != 1 || c != 'g') ::_exit(2);
    {
      auto o = core::Vault::open(dir + "/o", crypto::SecureBuffer::copy_of(std::string_view(kOrganizerPass)));
      if (!o) ::_exit(2);
      const auto bytes = slurp(response_path);
      std::string p_fp;
      std::ifstream(dir + "/p.fingerprint") >> p_fp;
      std::size_t pos = 0;
      auto r = core::import_response(*o, reader_of(bytes, pos), p_fp);
      if (!r) {
        std::fprintf(stderr, "import_response: %s\n", r.error().message.c_str());
        ::_exit(2);
      }
      if (scan(nd, "response-open") != 0) ::_exit(2);
      o->lock();
    }
    if (scan(nd, "response-locked") != 0) ::_exit(2);
    std::fflush(stdout);
    ::_exit(0);
  }
  ::close(go[0]);
  {
    std::string o_fp;
    std::ifstream(dir + "/o.fingerprint") >> o_fp;
    const auto bytes = slurp(dir + "/package.age");
    std::size_t pos = 0;
    auto imported = core::import_package(*p, reader_of(bytes, pos), o_fp);
    if (!imported) {
      std::fprintf(stderr, "import_package: %s\n", imported.error().message.c_str());
      return 2;
    }
    if (scan(nd, "package-open") != 0) return 2;
    p->lock();
  }
  if (scan(nd, "package-locked") != 0) return 2;
  // P answers: open again, correct the first statement, write the response.
  {
    auto reopened = core::Vault::open(dir + "/p", crypto::SecureBuffer::copy_of(std::string_view(kOrganizerPass)));
    if (!reopened) return 2;
    core::Vault& v = *reopened;
    std::ofstream(dir + "/p.fingerprint") << p_id->fingerprint;
    auto inbox = core::list_inbox(v);
    if (!inbox || inbox->size() != 1) return 2;
    const std::int64_t inbox_id = inbox->front().id;
    core::ReviewChanges changes;
    {
      auto item = core::get_inbox_item(v, inbox_id);
      if (!item || item->statements.empty()) return 2;
      Plain c(correction);
      std::string text;
      text.reserve(256);
      text.append("Corrected, with the canary well inside the text so that malloc's links do not cover it: ")
          .append(c.s).append(" and more words after it.");
      changes.correct.emplace_back(item->statements.front().note_uid, text);
      changes.comment = text;
      crypto::wipe(text.data(), text.size());
    }
    if (!core::record_review(v, inbox_id, changes).ok()) return 2;
    if (!write_to(response_path, [&](const crypto::age::WriteFn& w) { return core::export_review(v, inbox_id, w); }).ok())
      return 2;
    v.lock();
  }
  if (::write(go[1], "g", 1) != 1) return 2;
  ::close(go[1]);
  if (::waitpid(importer, &status, 0) != importer || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "the response importer failed\n");
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "harden") return cmd_harden();
  if (cmd == "segv") return cmd_segv(!(argc > 2 && std::string(argv[2]) == "--no-harden"));
  if (cmd == "vmlck" && argc > 2) return cmd_memdump(argv[2], true);
  if (cmd == "memdump" && argc > 2) return cmd_memdump(argv[2], false);
  if (cmd == "memdump-import" && argc > 2) return cmd_memdump_import(argv[2]);
  if (cmd == "memdump-review" && argc > 2) return cmd_memdump_review(argv[2]);
  std::fprintf(stderr, "usage: secrets_probe harden | segv [--no-harden] | vmlck DIR | memdump DIR | memdump-import DIR | memdump-review DIR\n");
  return 1;
}
