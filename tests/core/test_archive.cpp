// Archives: export, verified import, merge by uid, conflicts, and refusal of bad files.
#include "backchannel/core/archive.h"

#include <nlohmann/json.hpp>

#include "archive_fixture.h"
#include "backchannel/core/audit_log.h"
#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "signed_records.h"
#include "vault_store_access.h"

namespace bc::core {
namespace {

using test::Bytes;
using test::rows;

class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a = test::make_vault(dir / "a");
    b = test::make_vault(dir / "b");
    meeting = test::import_sample_into(a);
    ASSERT_TRUE(edit_note(a, 2, "The Helmand basin agreement is a model worth studying, with caveats.").ok());
  }
  Bytes export_from(Vault& v, std::vector<crypto::age::Recipient> to, std::vector<std::int64_t> meetings = {}) {
    Bytes out;
    ExportOptions o;
    o.recipients = std::move(to);
    o.meeting_ids = std::move(meetings);
    auto r = export_archive(v, o, out.writer());
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return out;
  }
  std::vector<crypto::age::Recipient> to(Vault& v) {
    std::vector<crypto::age::Recipient> r;
    r.emplace_back(test::recipient_of(v));
    return r;
  }
  /// Imports `file`, trusting its signer (A unless `signer` says otherwise) when `trust`.
  Result<ImportReport> import_into(Vault& v, Bytes& file, bool trust = true, Vault* signer = nullptr) {
    ImportOptions o;
    if (trust) o.trust_fingerprint = vault_identity(signer != nullptr ? *signer : a)->fingerprint;
    return import_archive(v, file.reader(), o);
  }
  std::map<std::string, std::int64_t> counts(Vault& v) {
    std::map<std::string, std::int64_t> c;
    for (const char* t : {"series", "meetings", "participants", "participant_aliases", "attendance", "disclosure", "notes",
                          "note_revisions", "audit_log", "trusted_keys"})
      c[t] = rows(v, t);
    return c;
  }
  test::TempDir dir;
  Vault a, b;
  std::int64_t meeting = 0;
};

TEST_F(ArchiveTest, ExportImportCarriesEverything) {
  Bytes file = export_from(a, to(b));
  auto r = import_into(b, file);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->series_added, 1u);
  EXPECT_EQ(r->meetings_added, 1u);
  EXPECT_EQ(r->participants_added, 5u);
  EXPECT_EQ(r->notes_added, 7u);
  EXPECT_EQ(r->revisions_added, 8u) << "7 notes, one of them edited once";
  EXPECT_TRUE(r->signer_newly_trusted);
  auto ma = get_meeting(a, meeting);
  auto mb = list_meetings(b);
  ASSERT_EQ(mb->size(), 1u);
  EXPECT_EQ((*mb)[0].uid, ma->uid);
  EXPECT_EQ((*mb)[0].location_disclosure, ma->location_disclosure);
  EXPECT_EQ((*mb)[0].public_terms, ma->public_terms);
  auto pa = list_participants(a, meeting);
  auto pb = list_participants(b, (*mb)[0].id);
  ASSERT_EQ(pa->size(), pb->size());
  for (std::size_t i = 0; i < pa->size(); ++i) {
    EXPECT_EQ((*pa)[i].uid, (*pb)[i].uid);
    EXPECT_EQ((*pa)[i].aliases, (*pb)[i].aliases);
    EXPECT_EQ((*pa)[i].disclosure, (*pb)[i].disclosure);
    EXPECT_EQ((*pa)[i].key, (*pb)[i].key);
  }
  auto na = list_notes(a, meeting);
  auto nb = list_notes(b, (*mb)[0].id);
  ASSERT_EQ(na->size(), nb->size());
  for (std::size_t i = 0; i < na->size(); ++i) {
    EXPECT_EQ((*na)[i].uid, (*nb)[i].uid);
    EXPECT_EQ((*na)[i].text, (*nb)[i].text);
    EXPECT_EQ((*na)[i].visibility, (*nb)[i].visibility);
  }
  auto hist = note_revisions(b, (*nb)[1].id);
  ASSERT_EQ(hist->size(), 2u);
  EXPECT_EQ((*hist)[0].text, "The Helmand basin agreement with Afghanistan is a model worth studying.");
  EXPECT_TRUE(verify_audit_log(b).ok());
}

// Vault schema 6 (issue 15, items 15-17): the Persian descriptor and the rulings on short forms
// travel with the participant; a participant record written without them still imports.
TEST_F(ArchiveTest, ThePersianDescriptorAndShortFormRulingsTravel) {
  ParticipantUpdate u;
  u.descriptor_fa = "یک مقام محیط زیست ایرانی";
  u.short_forms = std::vector<ShortFormRule>{{ShortFormOf::name, "Hashemi", ShortFormUse::not_alone},
                                             {ShortFormOf::affiliation, "Environment", ShortFormUse::alone}};
  ASSERT_TRUE(update_participant(a, meeting, "b", u).ok());
  Bytes file = export_from(a, to(b));
  ASSERT_TRUE(import_into(b, file).ok());
  auto mb = list_meetings(b);
  auto pb = find_participant(b, (*mb)[0].id, "b");
  ASSERT_TRUE(pb.ok());
  EXPECT_EQ(pb->descriptor_fa, u.descriptor_fa);
  EXPECT_EQ(pb->short_forms, *u.short_forms);
  auto other = find_participant(b, (*mb)[0].id, "c");
  EXPECT_FALSE(other->descriptor_fa.has_value());
  EXPECT_TRUE(other->short_forms.empty());
}

TEST_F(ArchiveTest, AParticipantRecordWithoutTheSchema6FieldsStillImports) {
  ParticipantUpdate u;
  u.descriptor_fa = "یک مقام محیط زیست ایرانی";
  u.short_forms = std::vector<ShortFormRule>{{ShortFormOf::name, "Hashemi", ShortFormUse::not_alone}};
  ASSERT_TRUE(update_participant(a, meeting, "b", u).ok());
  // a's archive as an older Backchannel wrote it: participant records without descriptor_fa and
  // short_forms, signed again by a. Addressed to both (the signed recipients name b too).
  auto both = to(a);
  both.emplace_back(test::recipient_of(b));
  Bytes own = export_from(a, std::move(both));
  std::vector<std::string> lines;
  SignedStreamHandlers h;
  h.on_header = [&](const SecureJson& header, const crypto::Ed25519Public&) -> Status {
    lines.emplace_back(header.dump());
    return {};
  };
  h.on_record = [&](const SecureJson& record) -> Status {
    nlohmann::json r = record;
    if (r["type"] == "participant") {
      EXPECT_TRUE(r.contains("descriptor_fa") && r.contains("short_forms"));
      r.erase("descriptor_fa");
      r.erase("short_forms");
    }
    lines.push_back(r.dump());
    return {};
  };
  std::vector<crypto::age::Identity> ids;
  auto x = vault_store(a).identity_x25519();
  ASSERT_TRUE(x.ok());
  ids.push_back(crypto::age::X25519Identity{std::move(x->secret_key)});
  ASSERT_TRUE(read_signed_stream(ids, own.reader(), h, {}).ok());
  auto signer = vault_store(a).identity_ed25519();
  ASSERT_TRUE(signer.ok());
  Bytes old;
  std::size_t next = 0;
  ASSERT_TRUE(write_signed_stream(to(b), *signer,
                                  [&]() -> Result<std::optional<std::string>> {
                                    if (next == lines.size()) return std::optional<std::string>();
                                    return std::optional<std::string>(lines[next++]);
                                  },
                                  old.writer(), false, {})
                  .ok());
  auto r = import_into(b, old);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->participants_added, 5u);
  auto mb = list_meetings(b);
  for (const auto& p : *list_participants(b, (*mb)[0].id)) {
    EXPECT_FALSE(p.descriptor_fa.has_value()) << p.key;
    EXPECT_TRUE(p.short_forms.empty()) << p.key;
  }
}

TEST_F(ArchiveTest, ReimportingChangesNothing) {
  Bytes file = export_from(a, to(b));
  ASSERT_TRUE(import_into(b, file).ok());
  const auto before = counts(b);
  const auto bytes_before = test::snapshot(dir / "b");
  auto again = import_into(b, file);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(again->changed());
  EXPECT_TRUE(again->conflicting_notes.empty());
  EXPECT_EQ(counts(b), before);
  // A vault's own archive is trusted and changes nothing either.
  Bytes own = export_from(a, to(a));
  auto self = import_into(a, own, /*trust=*/false);
  ASSERT_TRUE(self.ok()) << self.error().message;
  EXPECT_FALSE(self->changed());
  (void)bytes_before;
}

// A note deleted or purged here stays gone when an older archive that still holds it is
// imported again, and the import says so (a backup must not undo a purge).
TEST_F(ArchiveTest, AnOlderArchiveDoesNotBringBackDeletedOrPurgedNotes) {
  auto both = to(a);
  both.emplace_back(test::recipient_of(b));
  Bytes backup = export_from(a, std::move(both));
  auto notes = list_notes(a, meeting);
  ASSERT_TRUE(notes.ok() && notes->size() >= 3);
  const std::int64_t deleted = (*notes)[0].id, purged = (*notes)[1].id;
  const std::string purged_text = (*notes)[1].text;
  ASSERT_TRUE(delete_note(a, purged).ok());
  ASSERT_TRUE(purge_deleted_notes(a).ok());
  ASSERT_TRUE(delete_note(a, deleted).ok());
  const auto before = counts(a);
  auto r = import_into(a, backup);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->notes_deleted_here, 2u);
  EXPECT_EQ(r->notes_added, 0u);
  EXPECT_EQ(counts(a), before) << "nothing came back";
  EXPECT_FALSE(get_note(a, deleted).ok()) << "still deleted";
  auto st = vault_store(a).db().prepare("SELECT count(*) FROM notes WHERE text = ?");
  ASSERT_TRUE(st.ok());
  st->bind(1, purged_text);
  ASSERT_TRUE(*st->step());
  EXPECT_EQ(st->column_int64(0), 0) << "the purged text is not in the vault again";
  // Into another vault the same archive still carries both notes: tombstones are per vault.
  auto fresh = import_into(b, backup);
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  EXPECT_EQ(fresh->notes_deleted_here, 0u);
}

TEST_F(ArchiveTest, UnknownSignerIsRefusedWithItsFingerprint) {
  Bytes file = export_from(a, to(b));
  const auto before = counts(b);
  auto r = import_into(b, file, /*trust=*/false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::auth_failed);
  EXPECT_NE(r.error().message.find(vault_identity(a)->fingerprint), std::string::npos) << r.error().message;
  // Core says what to do in neutral terms; each program phrases it (the CLI: --trust).
  EXPECT_EQ(r.error().remedy, Remedy::trust_signer);
  EXPECT_EQ(r.error().subject, vault_identity(a)->fingerprint);
  EXPECT_EQ(r.error().message.find("--"), std::string::npos) << "no command-line flag in a core message";
  EXPECT_EQ(counts(b), before);
}

// Issue 15, item 2: trust is given to a fingerprint and for one purpose. A key trusted for
// summary packages cannot merge archives; a fingerprint other than the verified signer's is
// refused; the trust list shows the key and `remove_trusted_key` takes every purpose back.
TEST_F(ArchiveTest, TrustIsPinnedToTheGivenFingerprintAndScopedByPurpose) {
  const VaultIdentity ida = *vault_identity(a);
  ASSERT_TRUE(trust_signer(b, ida.ed25519, ida.x25519, TrustPurpose::packages, "package signer").ok());
  Bytes file = export_from(a, to(b));
  const auto before = counts(b);
  auto untrusted = import_into(b, file, /*trust=*/false);
  ASSERT_FALSE(untrusted.ok());
  EXPECT_EQ(untrusted.error().code, ErrorCode::auth_failed);
  EXPECT_EQ(untrusted.error().remedy, Remedy::trust_signer);
  EXPECT_EQ(untrusted.error().subject, ida.fingerprint);
  auto wrong = import_into(b, file, true, &b);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::auth_failed);
  EXPECT_NE(wrong.error().message.find("not by " + vault_identity(b)->fingerprint), std::string::npos) << wrong.error().message;
  ImportOptions garbage;
  garbage.trust_fingerprint = "yes";
  auto g = import_archive(b, file.reader(), garbage);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, ErrorCode::usage);
  EXPECT_EQ(counts(b), before);

  auto ok = import_into(b, file);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_TRUE(ok->signer_newly_trusted);
  auto list = list_trusted_keys(b);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  for (const auto& k : *list) {
    EXPECT_EQ(k.fingerprint, ida.fingerprint);
    EXPECT_EQ(k.signing_key, ida.signing_key);
  }
  EXPECT_EQ((*list)[0].purpose == "packages" ? (*list)[1].purpose : (*list)[0].purpose, "archives");
  auto removed = remove_trusted_key(b, ida.fingerprint);
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_EQ(*removed, 2u);
  EXPECT_EQ(list_trusted_keys(b)->size(), 0u);
  EXPECT_EQ(remove_trusted_key(b, ida.fingerprint).error().code, ErrorCode::not_found);
  Bytes later = export_from(a, to(b));
  EXPECT_EQ(import_into(b, later, false).error().remedy, Remedy::trust_signer);
}

// Issue 15, item 3: a refusal's fingerprint comes from verified data. A file whose header names
// A's key but whose signature is another vault's is refused for its signature, without showing
// A's fingerprint as if A had sent it (before, the unknown-signer check ran on the unverified
// header and named A).
TEST_F(ArchiveTest, ARefusalNeverShowsAFingerprintTheSignatureDoesNotBackUp) {
  Vault c = test::make_vault(dir / "c");
  Bytes file = export_from(a, to(b));
  Bytes forged = test::encrypt_for(b, test::resign(test::decrypt_as(b, file), c, [](nlohmann::ordered_json&) {}));
  const auto before = counts(b);
  auto r = import_into(b, forged, /*trust=*/false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::auth_failed);
  EXPECT_EQ(r.error().message.find(vault_identity(a)->fingerprint), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("signature does not verify"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().remedy, Remedy::none);
  EXPECT_EQ(counts(b), before);
}

TEST_F(ArchiveTest, PassphraseArchiveImportsAnywhere) {
  std::vector<crypto::age::Recipient> r;
  r.emplace_back(crypto::age::ScryptPassphrase{test::secret("archive words"), 10, 22});
  Bytes file = export_from(a, std::move(r));
  ImportOptions o;
  o.trust_fingerprint = vault_identity(a)->fingerprint;
  auto wrong = [&] {
    ImportOptions w;
    w.trust_fingerprint = vault_identity(a)->fingerprint;
    w.identities.emplace_back(crypto::age::ScryptPassphrase{test::secret("wrong words"), 18, 22});
    return import_archive(b, file.reader(), w);
  }();
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::auth_failed);
  o.identities.emplace_back(crypto::age::ScryptPassphrase{test::secret("archive words"), 18, 22});
  auto ok = import_archive(b, file.reader(), o);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->notes_added, 7u);
}

// Issue 15, item 1: the archive's signed header names its recipients; one opened by a vault it
// does not name (decrypted by a recipient and re-encrypted, as `age -d | age -r` does) is refused.
TEST_F(ArchiveTest, AnArchiveReEncryptedToAnotherVaultIsRefused) {
  Bytes file = export_from(a, to(b));
  const std::string plain = test::decrypt_as(b, file);
  EXPECT_NE(plain.find("\"recipients\":[\"" + test::recipient_of(b).to_string() + "\"]"), std::string::npos) << plain.substr(0, 400);
  Vault c = test::make_vault(dir / "c");
  Bytes moved = test::encrypt_for(c, plain);
  const auto before = counts(c);
  auto r = import_into(c, moved);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::auth_failed);
  EXPECT_NE(r.error().message.find("addressed to other vaults"), std::string::npos) << r.error().message;
  EXPECT_EQ(counts(c), before);
  // The vault it names still imports it.
  ASSERT_TRUE(import_into(b, file).ok());
}

// A passphrase archive binds to a passphrase: re-encrypted to a vault's key (by anyone who knew
// the passphrase), it is refused unless the importer opens it with a passphrase.
TEST_F(ArchiveTest, APassphraseArchiveReEncryptedToAVaultKeyIsRefused) {
  std::vector<crypto::age::Recipient> r;
  r.emplace_back(crypto::age::ScryptPassphrase{test::secret("archive words"), 10, 22});
  Bytes file = export_from(a, std::move(r));
  std::vector<crypto::age::Identity> ids;
  ids.emplace_back(crypto::age::ScryptPassphrase{test::secret("archive words"), 18, 22});
  auto plain = crypto::age::decrypt_from_memory(ids, file.data);
  ASSERT_TRUE(plain.ok());
  const std::string text(plain->begin(), plain->end());
  EXPECT_NE(text.find("\"recipients\":[\"passphrase\"]"), std::string::npos);
  Bytes moved = test::encrypt_for(b, text);
  auto refused = import_into(b, moved);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::auth_failed);
  EXPECT_EQ(rows(b, "notes"), 0);
}

// Older archives (no `recipients`): this vault's own backups import with a warning, anyone
// else's are refused.
TEST_F(ArchiveTest, AnOlderArchiveImportsOnlyWhenThisVaultSignedIt) {
  const auto unaddressed = [](nlohmann::ordered_json& h) { h.erase("recipients"); };
  Bytes own_file = export_from(a, to(a));
  Bytes own_old = test::encrypt_for(a, test::resign(test::decrypt_as(a, own_file), a, unaddressed));
  auto own = import_into(a, own_old, /*trust=*/false);
  ASSERT_TRUE(own.ok()) << own.error().message;
  EXPECT_TRUE(own->unaddressed_own_backup);
  auto current = import_into(a, own_file, false);
  ASSERT_TRUE(current.ok());
  EXPECT_FALSE(current->unaddressed_own_backup);

  Bytes foreign = export_from(a, to(b));
  Bytes foreign_old = test::encrypt_for(b, test::resign(test::decrypt_as(b, foreign), a, unaddressed));
  const auto before = counts(b);
  auto r = import_into(b, foreign_old);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::auth_failed);
  EXPECT_NE(r.error().message.find("older version"), std::string::npos) << r.error().message;
  EXPECT_EQ(counts(b), before);
}

TEST_F(ArchiveTest, EditsInBothVaultsKeepBothRevisions) {
  Bytes first = export_from(a, to(b));
  ASSERT_TRUE(import_into(b, first).ok());
  auto nb = list_notes(b, list_meetings(b)->front().id);
  const std::int64_t b_note3 = (*nb)[2].id, b_note5 = (*nb)[4].id;
  // Note 3 is edited in both vaults; note 5 only in A.
  ASSERT_TRUE(edit_note(a, 3, "A's version of note 3.").ok());
  ASSERT_TRUE(edit_note(b, b_note3, "B's version of note 3.").ok());
  ASSERT_TRUE(edit_note(a, 5, "A's later version of note 5.").ok());
  Bytes second = export_from(a, to(b));
  auto r = import_into(b, second);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->conflicting_notes, std::vector<std::int64_t>{b_note3});
  EXPECT_EQ(get_note(b, b_note3)->text, "B's version of note 3.") << "the local text stays current";
  auto hist = note_revisions(b, b_note3);
  std::vector<std::string> texts;
  for (const auto& h : *hist) texts.push_back(h.text);
  EXPECT_NE(std::find(texts.begin(), texts.end(), "A's version of note 3."), texts.end());
  EXPECT_NE(std::find(texts.begin(), texts.end(), "B's version of note 3."), texts.end());
  EXPECT_EQ(get_note(b, b_note5)->text, "A's later version of note 5.") << "fast-forward";
  EXPECT_EQ(note_revisions(b, b_note5)->size(), 2u);
  // And once more: nothing new.
  auto again = import_into(b, second);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->changed());
}

TEST_F(ArchiveTest, ArchiveForAnotherVaultIsNoMatch) {
  test::TempDir other;
  Vault c = test::make_vault(other / "c");
  Bytes file = export_from(a, to(c));
  const auto before = counts(b);
  auto r = import_into(b, file);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::auth_failed);
  EXPECT_EQ(r.error().message.rfind("no match", 0), 0u) << r.error().message;
  EXPECT_EQ(counts(b), before);
}

TEST_F(ArchiveTest, EveryDamageIsRefusedAndNothingIsImported) {
  Bytes good = export_from(a, to(b));
  const auto before = counts(b);
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < good.data.size(); i += std::max<std::size_t>(1, good.data.size() / 150)) offsets.push_back(i);
  offsets.push_back(good.data.size() - 1);
  for (std::size_t off : offsets) {
    Bytes bad = good;
    bad.data[off] ^= 0x20;
    auto r = import_into(b, bad);
    ASSERT_FALSE(r.ok()) << "flip at " << off;
    EXPECT_TRUE(r.error().code == ErrorCode::integrity || r.error().code == ErrorCode::auth_failed ||
                r.error().code == ErrorCode::bad_input)
        << r.error().message;
  }
  for (std::size_t cut : {std::size_t{0}, std::size_t{10}, good.data.size() / 2, good.data.size() - 1}) {
    Bytes bad = good;
    bad.data.resize(cut);
    EXPECT_FALSE(import_into(b, bad).ok()) << "cut at " << cut;
  }
  Bytes longer = good;
  longer.data.push_back('x');
  EXPECT_FALSE(import_into(b, longer).ok()) << "trailing garbage";
  EXPECT_EQ(counts(b), before);
}

// Note records are written by a direct serializer, not through nlohmann::json: every line must
// still be exactly what nlohmann's dump() gives for the same object, whatever the text holds
// (quotes, backslashes, line breaks, Persian, emoji, and control characters that only a damaged
// or older vault could hold), and text that is not UTF-8 must stop the export, not be written.
TEST_F(ArchiveTest, NoteLinesAreCanonicalJsonWhateverTheTextHolds) {
  NewNote n;
  n.meeting_id = meeting;
  n.text = "He said \"no\" \\ then left.\r\nSecond line\twith a tab; \u0645\u062d\u0645\u0648\u062f \U0001F642 </script>";
  auto id = add_note(a, n);
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_TRUE(bc::core::vault_store(a).db().exec("UPDATE notes SET text = 'ctl' || char(1) || char(31) || char(127) || char(8) || char(12) || 'end' "
                                  "WHERE id = 1").ok());
  Bytes file = export_from(a, to(a));
  auto own = bc::core::vault_store(a).identity_x25519();
  ASSERT_TRUE(own.ok());
  std::vector<crypto::age::Identity> ids;
  ids.emplace_back(crypto::age::X25519Identity{std::move(own->secret_key)});
  Bytes plain;
  const auto err = crypto::age::decrypt(ids, file.reader(), plain.writer());
  ASSERT_TRUE(err.ok()) << err.error().message;
  const std::string text(plain.data.begin(), plain.data.end());
  std::size_t notes = 0, start = 0;
  bool saw_escapes = false, saw_persian = false;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    const auto j = nlohmann::ordered_json::parse(line);
    EXPECT_EQ(j.dump(), line);
    if (j.value("type", "") != "note") continue;
    ++notes;
    saw_escapes = saw_escapes || line.find("\"ctl\\u0001\\u001f\x7f\\b\\fend\"") != std::string::npos;
    saw_persian = saw_persian || line.find("\\\"no\\\" \\\\ then left.\\r\\nSecond line\\twith a tab; \u0645") != std::string::npos;
  }
  EXPECT_EQ(notes, 8u);
  EXPECT_TRUE(saw_escapes);
  EXPECT_TRUE(saw_persian);

  // The text comes back byte for byte in another vault.
  ASSERT_TRUE(bc::core::vault_store(a).db().exec("UPDATE notes SET text = (SELECT text FROM note_revisions WHERE note_id = 1 "
                                  "ORDER BY revision DESC LIMIT 1) WHERE id = 1").ok());
  Bytes clean = export_from(a, to(b));
  auto r2 = import_into(b, clean);
  ASSERT_TRUE(r2.ok()) << r2.error().message;
  auto st = bc::core::vault_store(b).db().prepare("SELECT count(*) FROM notes WHERE text = ?");
  ASSERT_TRUE(st.ok());
  st->bind(1, n.text);
  ASSERT_TRUE(*st->step());
  EXPECT_EQ(st->column_int64(0), 1);

  // Not UTF-8: the export stops with an integrity error and writes nothing.
  ASSERT_TRUE(bc::core::vault_store(a).db().exec("UPDATE notes SET text = CAST(x'41ff42' AS TEXT) WHERE id = 1").ok());
  Bytes broken;
  ExportOptions o;
  o.recipients = to(a);
  auto bad = export_archive(a, o, broken.writer());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::integrity) << bad.error().message;
}

TEST_F(ArchiveTest, ExportOfChosenMeetingsOnly) {
  const auto second = test::import_sample_into(a);
  Bytes file = export_from(a, to(b), {second});
  auto r = import_into(b, file);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->meetings_added, 1u);
  EXPECT_EQ(list_meetings(b)->front().uid, get_meeting(a, second)->uid);
  ExportOptions o;
  o.recipients = to(b);
  o.meeting_ids = {999};
  Bytes out;
  EXPECT_EQ(export_archive(a, o, out.writer()).error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace bc::core
