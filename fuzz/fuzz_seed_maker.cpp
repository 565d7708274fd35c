// Writes the generated part of the fuzz corpus: archives and summary packages exported by a
// real vault (re-signed for the corpus signer: the signature line is dropped and the header names
// fuzz::signer(), as the targets expect), and responses to the response target's packages.
// usage: fuzz_seed_maker CORPUS_DIR     (then review and commit what changed)
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "backchannel/core/archive.h"
#include "backchannel/core/meeting_import.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/review.h"
#include "fuzz_support.h"
#include "vault_store_access.h"

using namespace bc;
namespace fs = std::filesystem;

namespace {

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "fuzz_seed_maker: %s\n", what.c_str());
  std::exit(1);
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_seed(const fs::path& dir, const std::string& name, const std::string& text) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary | std::ios::trunc) << text;
  std::printf("%s (%zu bytes)\n", (dir / name).string().c_str(), text.size());
}

// Decrypts an exported file and turns it into a corpus input: no signature line, and a header
// that names the corpus signer.
std::string to_seed(const std::vector<std::uint8_t>& file, std::vector<crypto::age::Identity> ids) {
  auto plain = crypto::age::decrypt_from_memory(ids, file);
  if (!plain) die(plain.error().message);
  const auto& bytes = *plain;
  std::string text(bytes.begin(), bytes.end());
  text.pop_back();  // the signature line's '\n'
  text.erase(text.rfind('\n') + 1);
  const std::size_t eol = text.find('\n');
  auto header = nlohmann::ordered_json::parse(text.substr(0, eol));
  header["signer"] = fuzz::kSignerKeyText;
  header["signer_recipient"] = fuzz::kSignerRecipientText;
  return header.dump() + text.substr(eol);
}

std::vector<crypto::age::Identity> own_identity(core::Vault& v) {
  auto kp = bc::core::vault_store(v).identity_x25519();
  if (!kp) die(kp.error().message);
  std::vector<crypto::age::Identity> ids;
  ids.emplace_back(crypto::age::X25519Identity{std::move(kp->secret_key)});
  return ids;
}

std::vector<crypto::age::Identity> kit_identity() {
  std::vector<crypto::age::Identity> ids;
  auto x = crypto::age::X25519Identity::parse(fuzz::kKitIdentity);
  if (!x) die(x.error().message);
  ids.emplace_back(std::move(*x));
  return ids;
}

std::string export_all(core::Vault& v) {
  std::vector<std::uint8_t> out;
  core::ExportOptions options;
  options.recipients.emplace_back(fuzz::recipient_of(v));
  auto r = core::export_archive(v, options, [&](std::span<const std::uint8_t> b) -> Status {
    out.insert(out.end(), b.begin(), b.end());
    return {};
  });
  if (!r) die(r.error().message);
  return to_seed(out, own_identity(v));
}

std::int64_t base_meeting(core::Vault& v) {
  return *bc::core::vault_store(v).db().query_int("SELECT id FROM meetings WHERE uid = '" + std::string(fuzz::kBaseMeetingUid) + "'");
}

std::string response(std::string_view package, std::string_view body) {
  nlohmann::ordered_json header{{"format", "backchannel.response/1"},
                                {"response", "ee0000000000000000000000000000" + std::string(package.substr(30))},
                                {"package", package},
                                {"created_at", "2024-05-03T10:00:00Z"},
                                {"signer", fuzz::kSignerKeyText},
                                {"signer_recipient", fuzz::kSignerRecipientText},
                                {"reply_token", fuzz::kReplyTokenBase64},
                                {"sequence", 1}};
  return header.dump() + "\n" + std::string(body);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) die("usage: fuzz_seed_maker CORPUS_DIR");
  const fs::path corpus = argv[1];
  const fs::path source = fs::path(__FILE__).parent_path().parent_path();

  // Archives: the sample meeting; the base archive after an edit here (its merge adds a
  // revision to an existing note); the base archive itself.
  {
    core::Vault v = fuzz::make_temp_vault();
    auto m = core::import_meeting(v, read_file(source / "docs/examples/sample-meeting.json"));
    if (!m) die(m.error().message);
    write_seed(corpus / "archive", "sample-meeting", export_all(v));
  }
  {
    core::Vault v = fuzz::make_temp_vault();
    fuzz::import_base_archive(v);
    write_seed(corpus / "archive", "base", std::string(fuzz::kBaseArchive));
    auto notes = core::list_notes(v, base_meeting(v));
    if (!notes || notes->empty()) die("no notes");
    if (auto e = core::edit_note(v, notes->front().id, "Holloway's view, edited: the IAEA verifies first."); !e)
      die(e.error().message);
    core::NewNote n;
    n.meeting_id = base_meeting(v);
    n.speaker_key = "p3";
    n.text = "Lindqvist: Sweden can host the next round.";
    if (auto a = core::add_note(v, n); !a) die(a.error().message);
    write_seed(corpus / "archive", "base-edited", export_all(v));

    // Packages: each audience, to the participant whose recipient is the kit's, and to a
    // protected participant with the kit recipient given explicitly.
    const fs::path dir = v.dir().parent_path() / "packages";
    int i = 0;
    for (const auto audience : {core::Audience::participants, core::Audience::public_}) {
      for (const char* key : {"p2", "p1"}) {
        std::vector<core::PackageTarget> to{{key, std::string(fuzz::kSignerRecipientText)}};
        auto files = core::package_summaries(v, base_meeting(v), audience, to, dir);
        if (!files) die(files.error().message);
        const std::string bytes = read_file(files->front().path);
        write_seed(corpus / "package", "package-" + std::to_string(++i),
                   to_seed(std::vector<std::uint8_t>(bytes.begin(), bytes.end()), kit_identity()));
      }
    }
  }

  // Responses to the response target's packages (fuzz_support.h).
  const std::string end = "{\"type\":\"end\"}\n";
  write_seed(corpus / "response", "approve-and-correct",
             response(fuzz::kPackage1Uid,
                      "{\"type\":\"item\",\"note\":\"40000000000000000000000000000001\",\"action\":\"approve\"}\n"
                      "{\"type\":\"item\",\"note\":\"40000000000000000000000000000002\",\"action\":\"correct\","
                      "\"text\":\"I proposed a joint group, not a hosted one.\"}\n"
                      "{\"type\":\"comment\",\"text\":\"Thank you; one correction.\"}\n" + end));
  write_seed(corpus / "response", "empty-review", response(fuzz::kPackage2Uid, end));
  write_seed(corpus / "response", "comment-only",
             response(fuzz::kPackage2Uid, "{\"type\":\"comment\",\"text\":\"تشکر از گزارش\"}\n" + end));
  write_seed(corpus / "response", "unknown-note",
             response(fuzz::kPackage1Uid,
                      "{\"type\":\"item\",\"note\":\"40000000000000000000000000000009\",\"action\":\"approve\"}\n" + end));
  return 0;
}
