#include "backchannel/core/review.h"

#include <map>
#include <set>

#include "backchannel/core/audit_log.h"
#include "backchannel/core/identity.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/participants.h"
#include "backchannel/core/summary.h"
#include "backchannel/core/text_validation.h"
#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/hmac.h"
#include "backchannel/crypto/random.h"
#include "backchannel/files/file_streams.h"
#include "backchannel/storage/clock.h"
#include "record_ids.h"
#include "record_writer.h"
#include "signed_records.h"
#include "vault_store_access.h"
#include "backchannel/message_text.h"

namespace bc::core {

using json = nlohmann::ordered_json;
using storage::Statement;

namespace {

constexpr std::string_view kPackageFormat = "backchannel.package/1";
constexpr std::string_view kResponseFormat = "backchannel.response/1";

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::strict); }

// Lines handed out one by one to write_signed_stream.
NextLine lines_of(std::vector<std::string> lines) {
  auto shared = std::make_shared<std::vector<std::string>>(std::move(lines));
  auto pos = std::make_shared<std::size_t>(0);
  return [shared, pos]() -> Result<std::optional<std::string>> {
    if (*pos >= shared->size()) return std::optional<std::string>();
    return std::optional<std::string>((*shared)[(*pos)++]);
  };
}

Result<crypto::age::X25519Identity> own_identity(Vault& vault) {
  BC_ASSIGN(crypto::X25519KeyPair kp, vault_store(vault).identity_x25519());
  return crypto::age::X25519Identity{std::move(kp.secret_key)};
}

// Fields of records from another vault, which may hold any JSON: a missing field or one of
// another type reads as empty (nlohmann's value() would throw on a type mismatch).
// For ids, formats and other words; text a person wrote goes through secret_field.
template <class Json>
std::string string_field(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return {};
  const auto& s = it->template get_ref<const typename Json::string_t&>();
  return std::string(s.data(), s.size());
}

// Text from a decrypted file, kept in the locked arena.
std::optional<crypto::SecureString> secret_field(const SecureJson& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get_ref<const crypto::SecureString&>();
}

template <class Json>
bool bool_field(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->template get<bool>();
}

Status check_format(const SecureJson& h, std::string_view expected, const char* what) {
  const std::string f = string_field(h, "format");
  if (f == expected) return {};
  const std::string prefix(expected.substr(0, expected.find('/') + 1));
  if (f.rfind(prefix, 0) == 0)
    return fail(ErrorCode::unsupported,
                std::string("this ") + what + " was written by a newer version of Backchannel (format " + quote_for_message(f) + ")");
  return fail(ErrorCode::bad_input,
              std::string("this file is not a ") + what + (f.empty() ? "" : " (its format is " + quote_for_message(f) + ")"));
}

Result<std::vector<std::uint8_t>> header_bytes(const SecureJson& h, const char* key, std::size_t size) {
  auto b = crypto::from_base64(string_field(h, key));
  if (!b || b->size() != size) return fail(ErrorCode::bad_input, std::string("the header's ") + key + " is not valid");
  return std::move(*b);
}

// Packages and responses name exactly one recipient; older ones name none (docs/archive-format.md,
// "Older files": refused, since only the file's signer could vouch for whom it was meant).
Status require_addressed_to_us(const SecureJson& header, const VaultIdentity& me, const char* what) {
  BC_ASSIGN(Addressee to, addressee(header, {me.recipient}, false));
  switch (to) {
    case Addressee::this_vault: return {};
    case Addressee::another:
      return fail(ErrorCode::auth_failed, std::string("this ") + what + " was meant for another vault and re-encrypted to "
                                          "this one after it was signed; it is refused");
    case Addressee::unnamed: break;
  }
  return fail(ErrorCode::auth_failed, std::string("this ") + what + " comes from an older version of Backchannel that did not "
                                      "sign whom it is for; it is refused. Ask its sender for a new one");
}

// Statements of a stored summary JSON, numbered as `inbox show` numbers them.
template <class Json>
std::vector<ReviewStatement> statements_of(const Json& summary) {
  std::vector<ReviewStatement> out;
  auto sts = summary.find("statements");
  if (sts == summary.end() || !sts->is_array()) return out;
  for (const auto& s : *sts) {
    ReviewStatement r;
    r.number = out.size() + 1;
    r.note_uid = string_field(s, "note");
    r.section = string_field(s, "section");
    r.kind = string_field(s, "kind");
    r.text = string_field(s, "text");
    r.own = bool_field(s, "own");
    if (auto a = s.find("attribution"); a != s.end() && a->is_object()) r.attribution = string_field(*a, "label");
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------- packages

Result<std::vector<PackageFile>> package_summaries(Vault& vault, std::int64_t meeting_id, Audience audience,
                                                   const std::vector<PackageTarget>& targets,
                                                   const std::filesystem::path& dir) {
  if (targets.empty()) return fail(ErrorCode::usage, "name at least one participant to send the summary to");
  BC_ASSIGN(Meeting meeting, get_meeting(vault, meeting_id));
  BC_ASSIGN(VaultIdentity me, vault_identity(vault));
  struct Prepared {
    Participant participant;
    crypto::age::X25519Recipient recipient;
    std::string summary;  // JSON text, already through the leak scanner
  };
  std::vector<Prepared> prepared;
  std::set<std::string> keys;
  // Every copy is built and scanned before anything is written.
  for (const auto& t : targets) {
    if (!keys.insert(t.key).second) return fail(ErrorCode::usage, "participant " + quote_for_message(t.key) + " is named twice");
    BC_ASSIGN(Participant p, find_participant(vault, meeting_id, t.key));
    const std::optional<std::string> rtext = t.recipient ? t.recipient : p.recipient;
    if (!rtext)
      return fail(ErrorCode::usage, "participant " + quote_for_message(t.key) + " has no known age recipient", Remedy::give_recipient,
                  t.key);
    auto r = crypto::age::X25519Recipient::parse(*rtext);
    if (!r) return fail(ErrorCode::bad_input, "participant " + quote_for_message(t.key) + ": not an age recipient: " + r.error().message);
    SummaryOptions opts;
    opts.audience = audience;
    opts.recipient_participant_id = p.id;
    opts.for_distribution = true;
    BC_ASSIGN(RenderedSummary s, produce_summary(vault, meeting_id, opts, SummaryFormat::json));
    prepared.push_back({std::move(p), *r, std::move(s.text)});
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(ErrorCode::io, "cannot create " + dir.string() + ": " + ec.message());
  BC_ASSIGN(crypto::Ed25519KeyPair signer, vault_store(vault).identity_ed25519());
  auto& db = vault_store(vault).db();
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  // Every package written so far is removed again unless the whole operation commits: whichever
  // step fails (a file, a statement, the audit entry, the commit), no package is left behind.
  struct WrittenPackages {
    std::vector<PackageFile> files;
    bool keep = false;
    ~WrittenPackages() {
      if (keep) return;
      std::error_code ignored;
      for (const auto& f : files) std::filesystem::remove(f.path, ignored);
    }
  } written;
  for (const auto& p : prepared) {
    const std::string package_uid = new_uid();
    const auto token = crypto::random_bytes(32);
    json header{{"format", kPackageFormat},
                {"kind", "summary"},
                {"package", package_uid},
                {"created_at", storage::utc_now_rfc3339()},
                {"signer", me.signing_key},
                {"signer_recipient", me.recipient},
                {"recipients", json::array({p.recipient.to_string()})},
                {"meeting", meeting.uid},
                {"reply_token", crypto::to_base64(token)}};
    json summary = json::parse(p.summary);
    json record{{"type", "summary"}, {"summary", summary}};
    json end{{"type", "end"}};
    const std::filesystem::path path = dir / ("package-" + package_uid.substr(0, 12) + ".age");
    BC_ASSIGN(files::OutputFile file, files::OutputFile::create(path, files::Overwrite::refuse));
    std::vector<crypto::age::Recipient> to;
    to.emplace_back(p.recipient);
    BC_TRY(write_signed_stream(to, signer, lines_of({dump(header), dump(record), dump(end)}), file.writer(), false, nullptr));
    BC_TRY(file.commit());
    written.files.push_back({p.participant.key, path});
    BC_ASSIGN(Statement ins, db.prepare("INSERT INTO packages_sent(package_uid, meeting_id, participant_id, recipient, "
                                        "reply_token_hash, sent_at) VALUES (?,?,?,?,?,?)"));
    ins.bind(1, package_uid).bind(2, meeting_id).bind(3, p.participant.id).bind(4, p.recipient.to_string());
    BC_TRY(ins.bind_blob(5, crypto::sha256(token)).bind(6, storage::utc_now_rfc3339()).run());
  }
  BC_TRY(append_audit(vault, "package.summary", "meeting " + std::to_string(meeting_id) + " (" +
                                                    std::to_string(written.files.size()) + " packages)"));
  BC_TRY(tx.commit());
  written.keep = true;
  return written.files;
}

// ---------------------------------------------------------------- inbox

Result<ImportedPackage> import_package(Vault& vault, const crypto::age::ReadFn& in,
                                       const std::optional<std::string>& trust_fingerprint) {
  const crypto::StackWipe stack_wipe;  // the parser's and serializer's stack buffers held the file's text
  BC_ASSIGN(crypto::age::X25519Identity id, own_identity(vault));
  std::vector<crypto::age::Identity> identities;
  identities.push_back(std::move(id));
  SecureJson header;
  SecureJson summary;
  crypto::Ed25519Public signer{};
  std::string fingerprint;
  bool trust_after = false;
  crypto::X25519Public signer_x25519{};
  BC_ASSIGN(VaultIdentity me, vault_identity(vault));
  SignedStreamHandlers h;
  h.on_header = [&](const SecureJson& hd, const crypto::Ed25519Public& s) -> Status {
    BC_TRY(check_format(hd, kPackageFormat, "summary package"));
    BC_TRY(require_addressed_to_us(hd, me, "package"));
    header = hd;
    signer = s;
    auto r = crypto::age::X25519Recipient::parse(string_field(hd, "signer_recipient"));
    if (!r) return fail(ErrorCode::bad_input, "the package names no valid sender recipient");
    fingerprint = identity_fingerprint(s, r->public_key);
    signer_x25519 = r->public_key;
    BC_ASSIGN(bool trusted, is_trusted_signer(vault, s, TrustPurpose::packages));
    if (!trusted) {
      BC_TRY(confirm_new_signer(fingerprint, trust_fingerprint,
                                "this package is signed by an organizer this vault does not trust for summary packages"));
      trust_after = true;
    }
    return {};
  };
  h.on_record = [&](const SecureJson& r) -> Status {
    const std::string type = string_field(r, "type");
    if (type == "summary") {
      if (!summary.is_null()) return fail(ErrorCode::bad_input, "the package holds two summaries");
      auto s = r.find("summary");
      if (s == r.end() || !s->is_object() || string_field(*s, "format") != "backchannel.summary/1")
        return fail(ErrorCode::bad_input, "the package's summary is not a backchannel.summary/1 document");
      summary = *s;
      return {};
    }
    if (type == "end") return {};
    return fail(ErrorCode::bad_input, "the package holds an unknown record");
  };
  BC_TRY(read_signed_stream(identities, in, h, nullptr));
  if (summary.is_null()) return fail(ErrorCode::bad_input, "the package holds no summary");
  const std::string package_uid = string_field(header, "package");
  if (package_uid.size() != 32) return fail(ErrorCode::bad_input, "the package has no valid id");
  BC_ASSIGN(std::vector<std::uint8_t> token, header_bytes(header, "reply_token", 32));
  // Every text in the summary is checked like any other text entering the vault.
  if (auto sts = summary.find("statements"); sts != summary.end() && sts->is_array())
    for (const auto& st : *sts)
      if (auto text = secret_field(st, "text")) BC_TRY(validate_text("summary statement", *text, TextField::note_text));
  auto& db = vault_store(vault).db();
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  ImportedPackage out;
  out.sender_fingerprint = fingerprint;
  {
    BC_ASSIGN(Statement dup, db.prepare("SELECT id FROM inbox WHERE package_uid = ?"));
    dup.bind(1, package_uid);
    BC_ASSIGN(bool row, dup.step());
    if (row) {
      out.inbox_id = dup.column_int64(0);
      out.already_present = true;
      return out;
    }
  }
  if (trust_after) BC_TRY(trust_signer(vault, signer, signer_x25519, TrustPurpose::packages, "package signer"));
  BC_ASSIGN(Statement ins, db.prepare("INSERT INTO inbox(package_uid, sender_signing_key, sender_recipient, meeting_uid, content, "
                                      "reply_token, received_at) VALUES (?,?,?,?,?,?,?)"));
  ins.bind(1, package_uid).bind_blob(2, signer).bind(3, string_field(header, "signer_recipient"));
  ins.bind(4, string_field(header, "meeting")).bind(5, std::string_view(summary.dump())).bind_blob(6, token).bind(7, storage::utc_now_rfc3339());
  BC_TRY(ins.run());
  out.inbox_id = db.last_insert_rowid();
  BC_TRY(append_audit(vault, "inbox.import", "inbox " + std::to_string(out.inbox_id)));
  BC_TRY(tx.commit());
  return out;
}

namespace {

Result<InboxItem> load_inbox_item(Vault& vault, std::int64_t inbox_id) {
  auto& db = vault_store(vault).db();
  BC_ASSIGN(Statement st, db.prepare("SELECT content, sender_signing_key, sender_recipient, received_at FROM inbox WHERE id = ?"));
  st.bind(1, inbox_id);
  BC_ASSIGN(bool row, st.step());
  if (!row) return fail(ErrorCode::not_found, "there is no inbox entry " + std::to_string(inbox_id), Remedy::list_inbox);
  InboxItem item;
  item.summary_json = st.column_string(0);
  const auto summary = SecureJson::parse(item.summary_json, nullptr, false);
  if (!summary.is_object()) return fail(ErrorCode::integrity, "inbox entry " + std::to_string(inbox_id) + " is damaged");
  item.entry.id = inbox_id;
  item.entry.series = string_field(summary, "series");
  item.entry.meeting = string_field(summary, "meeting");
  item.entry.date = string_field(summary, "date");
  item.entry.received_at = st.column_string(3);
  const auto key = st.column_blob(1);
  auto rec = crypto::age::X25519Recipient::parse(st.column_text(2));
  if (key.size() == 32 && rec) {
    crypto::Ed25519Public k{};
    std::copy(key.begin(), key.end(), k.begin());
    item.entry.sender_fingerprint = identity_fingerprint(k, rec->public_key);
  }
  item.statements = statements_of(summary);
  std::map<std::string, std::size_t> by_uid;
  for (std::size_t i = 0; i < item.statements.size(); ++i) by_uid[item.statements[i].note_uid] = i;
  BC_ASSIGN(Statement items, db.prepare("SELECT note_uid, action, text FROM review_items WHERE inbox_id = ?"));
  items.bind(1, inbox_id);
  while (true) {
    BC_ASSIGN(bool r, items.step());
    if (!r) break;
    auto it = by_uid.find(items.column_string(0));
    if (it == by_uid.end()) continue;
    item.statements[it->second].action = items.column_string(1);
    item.statements[it->second].correction = items.column_optional_string(2);
  }
  BC_ASSIGN(Statement c, db.prepare("SELECT text FROM review_comments WHERE inbox_id = ?"));
  c.bind(1, inbox_id);
  BC_ASSIGN(bool has_comment, c.step());
  if (has_comment) item.comment = c.column_string(0);
  item.entry.statements = item.statements.size();
  for (const auto& s : item.statements) item.entry.reviewed += s.action ? 1 : 0;
  return item;
}

}  // namespace

Result<std::vector<InboxEntry>> list_inbox(Vault& vault) {
  BC_ASSIGN(Statement st, vault_store(vault).db().prepare("SELECT id FROM inbox ORDER BY id"));
  std::vector<std::int64_t> ids;
  while (true) {
    BC_ASSIGN(bool row, st.step());
    if (!row) break;
    ids.push_back(st.column_int64(0));
  }
  std::vector<InboxEntry> out;
  for (auto id : ids) {
    BC_ASSIGN(InboxItem item, load_inbox_item(vault, id));
    out.push_back(item.entry);
  }
  return out;
}

Result<InboxItem> get_inbox_item(Vault& vault, std::int64_t inbox_id) { return load_inbox_item(vault, inbox_id); }

Status record_review(Vault& vault, std::int64_t inbox_id, const ReviewChanges& changes) {
  BC_ASSIGN(InboxItem item, load_inbox_item(vault, inbox_id));
  auto resolve = [&](const std::string& ref) -> Result<std::string> {
    std::size_t n = 0;
    bool numeric = !ref.empty() && ref.size() < 8;
    for (char c : ref) numeric = numeric && c >= '0' && c <= '9';
    if (numeric) n = std::stoul(ref);
    for (const auto& s : item.statements)
      if ((numeric && s.number == n) || s.note_uid == ref) return s.note_uid;
    return fail(ErrorCode::not_found,
                "the summary in inbox entry " + std::to_string(inbox_id) + " has no statement " + quote_for_message(ref),
                Remedy::number_statements, std::to_string(inbox_id));
  };
  for (const auto& [ref, text] : changes.correct) BC_TRY(validate_text("correction", text, TextField::note_text));
  if (changes.comment) BC_TRY(validate_text("comment", *changes.comment, TextField::note_text));
  auto& db = vault_store(vault).db();
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(Statement up, db.prepare("INSERT INTO review_items(inbox_id, note_uid, action, text, updated_at) VALUES (?,?,?,?,?) "
                                     "ON CONFLICT(inbox_id, note_uid) DO UPDATE SET action = excluded.action, text = excluded.text, "
                                     "updated_at = excluded.updated_at"));
  const std::string now = storage::utc_now_rfc3339();
  for (const auto& ref : changes.approve) {
    BC_ASSIGN(std::string uid, resolve(ref));
    up.reset();
    BC_TRY(up.bind(1, inbox_id).bind(2, uid).bind(3, "approve").bind_null(4).bind(5, now).run());
  }
  for (const auto& [ref, text] : changes.correct) {
    BC_ASSIGN(std::string uid, resolve(ref));
    up.reset();
    BC_TRY(up.bind(1, inbox_id).bind(2, uid).bind(3, "correct").bind(4, text).bind(5, now).run());
  }
  if (changes.comment) {
    BC_ASSIGN(Statement c, db.prepare("INSERT INTO review_comments(inbox_id, text, updated_at) VALUES (?,?,?) "
                                      "ON CONFLICT(inbox_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at"));
    BC_TRY(c.bind(1, inbox_id).bind(2, *changes.comment).bind(3, now).run());
  }
  BC_TRY(append_audit(vault, "review.record", "inbox " + std::to_string(inbox_id)));
  return tx.commit();
}

Status export_review(Vault& vault, std::int64_t inbox_id, const crypto::age::WriteFn& out, bool armor) {
  BC_ASSIGN(InboxItem item, load_inbox_item(vault, inbox_id));
  auto& db = vault_store(vault).db();
  BC_ASSIGN(Statement st, db.prepare("SELECT package_uid, sender_recipient, reply_token, responses_written FROM inbox WHERE id = ?"));
  st.bind(1, inbox_id);
  BC_ASSIGN(bool row, st.step());
  if (!row) return fail(ErrorCode::not_found, "there is no inbox entry " + std::to_string(inbox_id));
  const std::string package_uid = st.column_string(0);
  auto organizer = crypto::age::X25519Recipient::parse(st.column_text(1));
  if (!organizer) return fail(ErrorCode::integrity, "inbox entry " + std::to_string(inbox_id) + " has no valid organizer recipient");
  const auto token = st.column_blob(2);
  // Each response to a package carries the next number, so that the organizer keeps the latest
  // one whatever order the files arrive in.
  const std::int64_t sequence = st.column_int64(3) + 1;
  BC_ASSIGN(VaultIdentity me, vault_identity(vault));
  BC_ASSIGN(crypto::Ed25519KeyPair signer, vault_store(vault).identity_ed25519());
  std::vector<std::string> lines;
  lines.push_back(dump(json{{"format", kResponseFormat},
                            {"response", new_uid()},
                            {"package", package_uid},
                            {"created_at", storage::utc_now_rfc3339()},
                            {"signer", me.signing_key},
                            {"signer_recipient", me.recipient},
                            {"recipients", json::array({organizer->to_string()})},
                            {"reply_token", crypto::to_base64(token)},
                            {"sequence", sequence}}));
  for (const auto& s : item.statements) {
    if (!s.action) continue;
    json r{{"type", "item"}, {"note", s.note_uid}, {"action", *s.action}};
    if (s.correction) r["text"] = *s.correction;
    lines.push_back(dump(r));
  }
  if (item.comment) lines.push_back(dump(json{{"type", "comment"}, {"text", *item.comment}}));
  lines.push_back(dump(json{{"type", "end"}}));
  std::vector<crypto::age::Recipient> to;
  to.emplace_back(*organizer);
  BC_TRY(write_signed_stream(to, signer, lines_of(std::move(lines)), out, armor, nullptr));
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  BC_ASSIGN(Statement count, db.prepare("UPDATE inbox SET responses_written = ? WHERE id = ?"));
  BC_TRY(count.bind(1, sequence).bind(2, inbox_id).run());
  BC_TRY(append_audit(vault, "review.export", "inbox " + std::to_string(inbox_id)));
  return tx.commit();
}

// ---------------------------------------------------------------- responses

Result<ResponseImport> import_response(Vault& vault, const crypto::age::ReadFn& in,
                                       const std::optional<std::string>& trust_fingerprint) {
  const crypto::StackWipe stack_wipe;  // the parser's and serializer's stack buffers held the file's text
  BC_ASSIGN(crypto::age::X25519Identity id, own_identity(vault));
  std::vector<crypto::age::Identity> identities;
  identities.push_back(std::move(id));
  SecureJson header;
  crypto::Ed25519Public signer{};
  struct Item {
    std::string note_uid, action;
    std::optional<crypto::SecureString> text;
  };
  std::vector<Item> items;
  std::optional<crypto::SecureString> comment;
  auto& db = vault_store(vault).db();
  // Checked in the header handler, before any record is read.
  std::int64_t meeting_id = 0, participant_id = 0;
  std::string participant_key;
  BC_ASSIGN(VaultIdentity me, vault_identity(vault));
  SignedStreamHandlers h;
  h.on_header = [&](const SecureJson& hd, const crypto::Ed25519Public& s) -> Status {
    BC_TRY(check_format(hd, kResponseFormat, "review response"));
    BC_TRY(require_addressed_to_us(hd, me, "response"));
    header = hd;
    signer = s;
    const std::string package_uid = string_field(hd, "package");
    BC_ASSIGN(Statement st, db.prepare("SELECT p.meeting_id, p.participant_id, p.reply_token_hash, a.key, p.recipient FROM packages_sent p "
                                       "JOIN attendance a ON a.meeting_id = p.meeting_id AND a.participant_id = p.participant_id "
                                       "WHERE p.package_uid = ?"));
    st.bind(1, package_uid);
    BC_ASSIGN(bool row, st.step());
    if (!row) return fail(ErrorCode::auth_failed, "this response answers no package this vault sent");
    BC_ASSIGN(std::vector<std::uint8_t> token, header_bytes(hd, "reply_token", 32));
    if (!crypto::equal_ct(crypto::sha256(token), st.column_blob(2)))
      return fail(ErrorCode::auth_failed, "this response does not carry its package's reply token: it was not written by the "
                                          "package's recipient");
    // The package went to one vault's recipient; the answer must come from that vault.
    if (string_field(hd, "signer_recipient") != st.column_text(4))
      return fail(ErrorCode::auth_failed, "this response was not written by the vault its package was sent to");
    meeting_id = st.column_int64(0);
    participant_id = st.column_int64(1);
    participant_key = st.column_string(3);
    BC_ASSIGN(Statement sk, db.prepare("SELECT signing_key FROM participants WHERE id = ?"));
    sk.bind(1, participant_id);
    BC_ASSIGN(bool has, sk.step());
    const auto known = has ? sk.column_blob(0) : std::vector<std::uint8_t>();
    if (!known.empty() && !crypto::equal_ct(known, signer))
      return fail(ErrorCode::auth_failed, "participant " + quote_for_message(participant_key) +
                                              "'s earlier responses were signed by another key; this one is refused");
    if (known.empty()) {
      auto rec = crypto::age::X25519Recipient::parse(string_field(hd, "signer_recipient"));
      if (!rec) return fail(ErrorCode::integrity, "the response names no valid sender recipient");
      BC_TRY(confirm_new_signer(identity_fingerprint(s, rec->public_key), trust_fingerprint,
                                "this is the first response from participant " + quote_for_message(participant_key) +
                                    ", signed by a key this vault has not pinned"));
    }
    return {};
  };
  h.on_record = [&](const SecureJson& r) -> Status {
    const std::string type = string_field(r, "type");
    if (type == "item") {
      Item it{string_field(r, "note"), string_field(r, "action"), std::nullopt};
      if (it.action != "approve" && it.action != "correct") return fail(ErrorCode::bad_input, "a response item has an unknown action");
      if (auto t = secret_field(r, "text")) {
        BC_TRY(validate_text("correction", *t, TextField::note_text));
        it.text = std::move(t);
      }
      if (it.action == "correct" && !it.text) return fail(ErrorCode::bad_input, "a correction has no text");
      if (items.size() > 100000) return fail(ErrorCode::bad_input, "too many response items");
      items.push_back(std::move(it));
      return {};
    }
    if (type == "comment") {
      auto t = secret_field(r, "text");
      if (!t) return fail(ErrorCode::bad_input, "a comment has no text");
      BC_TRY(validate_text("comment", *t, TextField::note_text));
      comment = std::move(t);
      return {};
    }
    if (type == "end") return {};
    return fail(ErrorCode::bad_input, "the response holds an unknown record");
  };
  BC_TRY(read_signed_stream(identities, in, h, nullptr));
  const std::string response_uid = string_field(header, "response");
  if (response_uid.size() != 32) return fail(ErrorCode::bad_input, "the response has no valid id");
  auto seq = header.find("sequence");
  if (seq == header.end() || !seq->is_number_integer() || seq->get<std::int64_t>() < 1)
    return fail(ErrorCode::bad_input, "the response has no valid sequence number");
  const std::int64_t sequence = seq->get<std::int64_t>();
  auto created = normalize_timestamp(string_field(header, "created_at"));
  if (!created) return fail(ErrorCode::bad_input, "the response has no valid creation time");
  BC_ASSIGN(storage::Transaction tx, storage::Transaction::begin(db));
  ResponseImport out{participant_key, meeting_id, false};
  {
    BC_ASSIGN(Statement dup, db.prepare("SELECT 1 FROM responses WHERE response_uid = ?"));
    dup.bind(1, response_uid);
    BC_ASSIGN(bool row, dup.step());
    if (row) {
      out.already_present = true;
      return out;
    }
  }
  // A response older than the latest one for its package (delayed, or replayed) must not replace it.
  {
    BC_ASSIGN(Statement latest, db.prepare("SELECT max(sequence) FROM responses WHERE package_uid = ?"));
    latest.bind(1, string_field(header, "package"));
    BC_ASSIGN(bool row, latest.step());
    if (row && !latest.is_null(0) && latest.column_int64(0) >= sequence)
      return fail(ErrorCode::conflict, "this response (number " + std::to_string(sequence) + ") is older than participant " +
                                           participant_key + "'s latest one already imported (number " +
                                           std::to_string(latest.column_int64(0)) + "); it is refused");
  }
  // Items must name statements of the package's meeting.
  BC_ASSIGN(Statement note, db.prepare("SELECT 1 FROM notes WHERE uid = ? AND meeting_id = ?"));
  for (const auto& it : items) {
    note.reset();
    note.bind(1, it.note_uid).bind(2, meeting_id);
    BC_ASSIGN(bool row, note.step());
    if (!row) return fail(ErrorCode::bad_input, "the response refers to a statement that is not in the meeting");
  }
  {
    std::array<std::uint8_t, 32> key{};
    std::copy(signer.begin(), signer.end(), key.begin());
    BC_TRY(RecordWriter(vault).pin_signing_key(participant_id, key));
  }
  BC_ASSIGN(Statement ins, db.prepare("INSERT INTO responses(response_uid, package_uid, signer, comment, received_at, created_at, "
                                      "sequence) VALUES (?,?,?,?,?,?,?)"));
  ins.bind(1, response_uid).bind(2, string_field(header, "package")).bind_blob(3, signer);
  if (comment) ins.bind(4, std::string_view(*comment));
  else ins.bind_null(4);
  BC_TRY(ins.bind(5, storage::utc_now_rfc3339()).bind(6, *created).bind(7, sequence).run());
  const std::int64_t rid = db.last_insert_rowid();
  BC_ASSIGN(Statement it_ins, db.prepare("INSERT OR REPLACE INTO response_items(response_id, note_uid, action, text) VALUES (?,?,?,?)"));
  for (const auto& it : items) {
    it_ins.reset();
    it_ins.bind(1, rid).bind(2, it.note_uid).bind(3, it.action);
    if (it.text) it_ins.bind(4, std::string_view(*it.text));
    else it_ins.bind_null(4);
    BC_TRY(it_ins.run());
  }
  BC_TRY(append_audit(vault, "response.import", "meeting " + std::to_string(meeting_id)));
  BC_TRY(tx.commit());
  return out;
}

Result<std::vector<ParticipantResponse>> meeting_responses(Vault& vault, std::int64_t meeting_id) {
  BC_ASSIGN(std::vector<Participant> ps, list_participants(vault, meeting_id));
  auto& db = vault_store(vault).db();
  std::vector<ParticipantResponse> out;
  for (const auto& p : ps) {
    ParticipantResponse r;
    r.key = p.key;
    BC_ASSIGN(Statement sent, db.prepare("SELECT count(*) FROM packages_sent WHERE meeting_id = ? AND participant_id = ?"));
    sent.bind(1, meeting_id).bind(2, p.id);
    BC_ASSIGN(bool row, sent.step());
    r.package_sent = row && sent.column_int64(0) > 0;
    // The latest response from this participant for this meeting, by its signed creation time
    // and, for one package, its sequence number (not by when it arrived).
    BC_ASSIGN(Statement resp, db.prepare("SELECT r.id, r.comment FROM responses r JOIN packages_sent s ON s.package_uid = r.package_uid "
                                         "WHERE s.meeting_id = ? AND s.participant_id = ? "
                                         "ORDER BY r.created_at DESC, r.sequence DESC, r.id DESC LIMIT 1"));
    resp.bind(1, meeting_id).bind(2, p.id);
    BC_ASSIGN(bool has, resp.step());
    if (has) {
      r.responded = true;
      r.comment = resp.column_optional_string(1);
      BC_ASSIGN(Statement items, db.prepare("SELECT n.id, i.action, i.text FROM response_items i JOIN notes n ON n.uid = i.note_uid "
                                            "WHERE i.response_id = ? ORDER BY n.id"));
      items.bind(1, resp.column_int64(0));
      while (true) {
        BC_ASSIGN(bool ir, items.step());
        if (!ir) break;
        if (items.column_text(1) == "approve") r.approved.push_back(items.column_int64(0));
        else r.corrections.push_back({items.column_int64(0), items.column_string(2)});
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace bc::core
