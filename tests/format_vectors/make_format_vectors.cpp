// Writes the format test vectors of docs/archive-format.md into a folder: an archive, a summary
// package and a review response, each with the identity that decrypts it, the signer's key and
// fingerprint, and the plaintext it must decrypt to. They come from the product's own code on
// real vaults (created in a temporary folder and thrown away): the organizer imports the sample
// meeting and edits a note, exports an archive, sends participant b a package; b's vault imports
// it, reviews it and writes the response. The vaults' identity keys are read back through the
// storage layer, since a response is encrypted to the organizer's vault.
// Built with the tests, never run by ctest: `cmake --build build --target format-vectors`.
// usage: make_format_vectors SAMPLE_MEETING_JSON OUT_DIR
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backchannel/core/archive.h"
#include "backchannel/core/identity.h"
#include "backchannel/core/meeting_import.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/review.h"
#include "backchannel/core/vault.h"
#include "backchannel/crypto/age.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/hmac.h"
#include "backchannel/storage/vault_store.h"

namespace fs = std::filesystem;
using namespace bc;

namespace {

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "make_format_vectors: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T must(Result<T> r, const char* what) {
  if (!r) die(std::string(what) + ": " + r.error().message);
  return std::move(r).value();
}

void must(const Status& s, const char* what) {
  if (!s) die(std::string(what) + ": " + s.error().message);
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) die("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_all(const fs::path& p, std::string_view bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) die("cannot write " + p.string());
}

crypto::age::WriteFn append_to(std::string& s) {
  return [&s](std::span<const std::uint8_t> b) -> Status {
    s.append(reinterpret_cast<const char*>(b.data()), b.size());
    return {};
  };
}

const crypto::SecureBuffer& passphrase() {
  static const crypto::SecureBuffer p = crypto::SecureBuffer::copy_of(std::string_view("format vectors, a throwaway vault"));
  return p;
}

// The vault's X25519 identity as an age identity, read through the storage layer.
crypto::age::X25519Identity vault_age_identity(const fs::path& dir) {
  storage::VaultStore store = must(storage::VaultStore::open(dir, passphrase()), "open the vault's store");
  crypto::X25519KeyPair kp = must(store.identity_x25519(), "the vault's X25519 key");
  return crypto::age::X25519Identity{std::move(kp.secret_key)};
}

struct Vector {
  std::string name, comment;
  std::string file;  // the age file
  crypto::age::X25519Identity identity;
  core::VaultIdentity signer;
  bool armored = false;
};

void write_vector(const fs::path& out, const Vector& v, std::ostream& index) {
  std::vector<crypto::age::Identity> ids;
  ids.emplace_back(crypto::age::X25519Identity{v.identity.secret_key.clone()});
  auto plain = crypto::age::decrypt_from_memory(
      ids, {reinterpret_cast<const std::uint8_t*>(v.file.data()), v.file.size()});
  if (!plain) die(v.name + " does not decrypt: " + plain.error().message);
  const auto& bytes = *plain;
  const std::string text(bytes.begin(), bytes.end());
  const std::string recipient = v.identity.recipient().to_string();
  const crypto::SecureBuffer secret = v.identity.to_string();

  write_all(out / (v.name + ".age"), v.file);
  write_all(out / (v.name + ".key"), "# A throwaway test key: the identity that decrypts " + v.name + ".age.\n# public key: " +
                                         recipient + "\n" + std::string(secret.view()) + "\n");
  write_all(out / (v.name + ".jsonl"), text);

  const std::string first = text.substr(0, text.find('\n'));
  const nlohmann::json header = nlohmann::json::parse(first);
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  crypto::Sha256 h;
  h.update(bytes);
  const auto digest = h.finish();
  index << "\nfile: " << v.name << ".age\n"
        << "comment: " << v.comment << "\n"
        << "format: " << header.at("format").get<std::string>() << "\n"
        << "armored: " << (v.armored ? "yes" : "no") << "\n"
        << "identity file: " << v.name << ".key\n"
        << "recipient: " << recipient << "\n"
        << "plaintext file: " << v.name << ".jsonl\n"
        << "plaintext sha256: " << crypto::to_hex(digest) << "\n"
        << "records: " << lines - 2 << "\n"
        << "signer: " << v.signer.signing_key << "\n"
        << "signer recipient: " << v.signer.recipient << "\n"
        << "fingerprint: " << v.signer.fingerprint << "\n";
  std::printf("%s.age: %zu bytes, %zu records, signed by %s\n", v.name.c_str(), v.file.size(), lines - 2,
              v.signer.fingerprint.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_format_vectors SAMPLE_MEETING_JSON OUT_DIR\n");
    return 1;
  }
  const fs::path sample = argv[1], out = argv[2];
  must(core::Vault::initialize_libraries(), "initialize");
  if (!fs::is_directory(out)) die(out.string() + " is not a folder");

  const char* tmpdir = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp") + "/format-vectors.XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) die("cannot create a temporary folder");
  const fs::path work = tmpl;
  const fs::path organizer_dir = work / "organizer", participant_dir = work / "participant";

  std::vector<Vector> vectors;
  {
    core::Vault organizer = must(core::Vault::create(organizer_dir, passphrase(), crypto::KdfProfile::interactive), "create").vault;
    core::Vault participant =
        must(core::Vault::create(participant_dir, passphrase(), crypto::KdfProfile::interactive), "create").vault;
    const core::VaultIdentity org_id = must(core::vault_identity(organizer), "organizer identity");
    const core::VaultIdentity part_id = must(core::vault_identity(participant), "participant identity");

    const std::int64_t meeting = must(core::import_meeting(organizer, read_all(sample)), "import the sample meeting").meeting_id;
    // A second revision, so that the archive shows a note's history.
    const auto notes = must(core::list_notes(organizer, meeting), "list notes");
    must(core::edit_note(organizer, notes.front().id, notes.front().text + " Phones stay outside the room."), "edit");

    // 1. An archive of the meeting, encrypted to a fresh identity (a handover to another organizer).
    Vector archive{"archive", "the sample meeting (docs/examples/sample-meeting.json) with one edited note, "
                              "exported by the organizer's vault to the identity in archive.key",
                   {}, crypto::age::X25519Identity::generate(), org_id, false};
    core::ExportOptions opts;
    opts.meeting_ids = {meeting};
    opts.recipients.emplace_back(archive.identity.recipient());
    must(core::export_archive(organizer, opts, append_to(archive.file)), "export");

    // 2. A summary package for participant b, encrypted to the participant's vault.
    const fs::path packages = work / "packages";
    const auto files = must(core::package_summaries(organizer, meeting, core::Audience::participants,
                                                    {core::PackageTarget{"b", part_id.recipient}}, packages),
                            "package");
    Vector package{"package", "the summary package for participant b (Parisa Hashemi, a pseudonym to the other "
                              "participants), signed by the organizer's vault",
                   read_all(files.front().path), {}, org_id, false};  // identity: below, once the vaults are closed

    // 3. b's review of it, encrypted to the organizer's vault and ASCII-armored.
    std::size_t pos = 0;
    const crypto::age::ReadFn reader = [&](std::span<std::uint8_t> buf) -> Result<std::size_t> {
      const std::size_t n = std::min(buf.size(), package.file.size() - pos);
      std::copy_n(package.file.data() + pos, n, reinterpret_cast<char*>(buf.data()));
      pos += n;
      return n;
    };
    const auto inbox = must(core::import_package(participant, reader, org_id.fingerprint), "import the package");
    core::ReviewChanges review;
    review.approve = {"1", "2"};
    review.correct = {{"5", "I agreed only in part."}};
    review.comment = "Thank you for the careful notes.";
    must(core::record_review(participant, inbox.inbox_id, review), "review");
    Vector response{"response", "participant b's review of package.age (two approvals, one correction, a comment), "
                                "signed by the participant's vault, encrypted to the organizer's vault, ASCII-armored",
                    {}, {}, part_id, true};  // identity: below
    must(core::export_review(participant, inbox.inbox_id, append_to(response.file), true), "export the review");
    vectors.push_back(std::move(archive));
    vectors.push_back(std::move(package));
    vectors.push_back(std::move(response));
  }
  // The vaults are closed; read the identities that decrypt the package and the response.
  vectors[1].identity = vault_age_identity(participant_dir);
  vectors[2].identity = vault_age_identity(organizer_dir);

  std::ostringstream index;
  index << "# Backchannel format test vectors (docs/archive-format.md, \"Test vectors\"). Throwaway keys.\n"
           "# Written by tests/format_vectors/make_format_vectors.cpp; regenerate with\n"
           "#   cmake --build build --target format-vectors\n";
  for (const auto& v : vectors) write_vector(out, v, index);
  write_all(out / "vectors.txt", index.str());
  std::error_code ec;
  fs::remove_all(work, ec);
  return 0;
}
