// The review loop: packages to participants, inbox, review, responses back to the organizer.
#include "backchannel/core/review.h"

#include <regex>

#include "archive_fixture.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "vault_store_access.h"

namespace bc::core {
namespace {

using test::Bytes;

class ReviewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    organizer = test::make_vault(dir / "organizer");
    parisa = test::make_vault(dir / "parisa");
    meeting = test::import_sample_into(organizer);
  }
  // Packages for participant b (Parisa Hashemi: pseudonym to the participants).
  std::filesystem::path package_for_b(const std::optional<std::string>& recipient = std::nullopt) {
    PackageTarget t{"b", recipient ? recipient : std::optional<std::string>(test::recipient_of(parisa).to_string())};
    auto files = package_summaries(organizer, meeting, Audience::participants, {t}, dir / "out");
    EXPECT_TRUE(files.ok()) << (files.ok() ? "" : files.error().message);
    return files.ok() ? files->front().path : std::filesystem::path();
  }
  Bytes load(const std::filesystem::path& p) {
    Bytes b;
    const std::string s = test::read_file(p);
    b.data.assign(s.begin(), s.end());
    return b;
  }
  /// Parisa imports `pkg` (trusting the organizer), approves statement 1 and exports her response.
  Bytes approved_response(Bytes& pkg) {
    Bytes response;
    auto imported = import_package(parisa, pkg.reader(), trust_organizer());
    EXPECT_TRUE(imported.ok()) << (imported.ok() ? "" : imported.error().message);
    if (!imported.ok()) return response;
    ReviewChanges c;
    c.approve = {"1"};
    EXPECT_TRUE(record_review(parisa, imported->inbox_id, c).ok());
    EXPECT_TRUE(export_review(parisa, imported->inbox_id, response.writer()).ok());
    return response;
  }
  std::optional<std::string> trust_organizer() { return vault_identity(organizer)->fingerprint; }
  std::optional<std::string> trust_parisa() { return vault_identity(parisa)->fingerprint; }
  test::TempDir dir;
  Vault organizer, parisa;
  std::int64_t meeting = 0;
};

TEST_F(ReviewTest, FullLoop) {
  const auto path = package_for_b();
  // The file name is random and says nothing about the recipient (whose key is "b"): a random
  // hex id can itself contain "b.", so check the whole shape instead of searching for the key.
  EXPECT_TRUE(std::regex_match(path.filename().string(), std::regex("package-[0-9a-f]{12}\\.age")))
      << path.filename();
  Bytes pkg = load(path);
  // Unknown organizer: refused with the fingerprint, until trusted.
  auto refused = import_package(parisa, pkg.reader(), std::nullopt);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::auth_failed);
  EXPECT_NE(refused.error().message.find(vault_identity(organizer)->fingerprint), std::string::npos);
  auto imported = import_package(parisa, pkg.reader(), trust_organizer());
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  EXPECT_FALSE(imported->already_present);
  auto again = import_package(parisa, pkg.reader(), std::nullopt);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_present);

  auto item = get_inbox_item(parisa, imported->inbox_id);
  ASSERT_TRUE(item.ok()) << item.error().message;
  EXPECT_EQ(item->entry.meeting, "Session 3: shared rivers");
  ASSERT_EQ(item->statements.size(), 6u) << "the organizers-only note is not in it";
  std::size_t own = 0;
  for (const auto& s : item->statements) {
    own += s.own;
    EXPECT_EQ(s.text.find("Hashemi"), std::string::npos);
  }
  EXPECT_EQ(own, 2u) << "Parisa spoke twice";
  EXPECT_EQ(item->summary_json.find("warnings\":[{"), std::string::npos) << "no organizer warnings in a package";

  ReviewChanges c;
  c.approve = {"1", "2"};
  c.correct = {{"5", "I agreed only in part."}};
  c.comment = "Thank you for the careful notes.";
  ASSERT_TRUE(record_review(parisa, imported->inbox_id, c).ok());
  EXPECT_EQ(get_inbox_item(parisa, imported->inbox_id)->entry.reviewed, 3u);
  ReviewChanges bad;
  bad.approve = {"99"};
  EXPECT_EQ(record_review(parisa, imported->inbox_id, bad).error().code, ErrorCode::not_found);

  Bytes response;
  ASSERT_TRUE(export_review(parisa, imported->inbox_id, response.writer()).ok());
  auto r = import_response(organizer, response.reader(), trust_parisa());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->participant_key, "b");
  EXPECT_FALSE(r->already_present);
  EXPECT_TRUE(import_response(organizer, response.reader())->already_present);

  auto all = meeting_responses(organizer, meeting);
  ASSERT_TRUE(all.ok());
  const ParticipantResponse* b = nullptr;
  for (const auto& x : *all)
    if (x.key == "b") b = &x;
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->package_sent && b->responded);
  EXPECT_EQ(b->approved.size(), 2u);
  ASSERT_EQ(b->corrections.size(), 1u);
  EXPECT_EQ(b->corrections[0].second, "I agreed only in part.");
  EXPECT_EQ(*b->comment, "Thank you for the careful notes.");
}

TEST_F(ReviewTest, OnlyTheRecipientCanOpenAPackage) {
  Bytes pkg = load(package_for_b());
  test::TempDir other;
  Vault eve = test::make_vault(other / "eve");
  auto r = import_package(eve, pkg.reader(), trust_organizer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::auth_failed);
  EXPECT_EQ(test::rows(eve, "inbox"), 0);
}

// Issue 15, item 1: b's package, decrypted with b's key and re-encrypted to Eve, is refused by
// Eve's vault (its signed header names b's recipient), so Eve cannot answer as b. A response
// re-encrypted to another organizer is refused the same way.
TEST_F(ReviewTest, APackageOrResponseReEncryptedToAnotherVaultIsRefused) {
  Bytes pkg = load(package_for_b());
  const std::string plain = test::decrypt_as(parisa, pkg);
  test::TempDir other;
  Vault eve = test::make_vault(other / "eve");
  Bytes moved = test::encrypt_for(eve, plain);
  auto r = import_package(eve, moved.reader(), trust_organizer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::auth_failed);
  EXPECT_NE(r.error().message.find("meant for another vault"), std::string::npos) << r.error().message;
  EXPECT_EQ(test::rows(eve, "inbox"), 0);
  EXPECT_EQ(test::rows(eve, "trusted_keys"), 0);

  Bytes response = approved_response(pkg);
  ASSERT_FALSE(response.data.empty());
  Vault second = test::make_vault(other / "second-organizer");
  Bytes moved_response = test::encrypt_for(second, test::decrypt_as(organizer, response));
  auto rr = import_response(second, moved_response.reader());
  ASSERT_FALSE(rr.ok());
  EXPECT_EQ(rr.error().code, ErrorCode::auth_failed);
}

// Older packages and responses (no `recipients`) are refused with a reason.
TEST_F(ReviewTest, OlderPackagesAndResponsesAreRefused) {
  const auto unaddressed = [](nlohmann::ordered_json& h) { h.erase("recipients"); };
  Bytes pkg = load(package_for_b());
  Bytes old_pkg = test::encrypt_for(parisa, test::resign(test::decrypt_as(parisa, pkg), organizer, unaddressed));
  auto r = import_package(parisa, old_pkg.reader(), trust_organizer());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::auth_failed);
  EXPECT_NE(r.error().message.find("older version"), std::string::npos) << r.error().message;
  EXPECT_EQ(test::rows(parisa, "inbox"), 0);

  Bytes response = approved_response(pkg);
  ASSERT_FALSE(response.data.empty());
  Bytes old_response = test::encrypt_for(organizer, test::resign(test::decrypt_as(organizer, response), parisa, unaddressed));
  auto rr = import_response(organizer, old_response.reader());
  ASSERT_FALSE(rr.ok());
  EXPECT_NE(rr.error().message.find("older version"), std::string::npos) << rr.error().message;
  EXPECT_EQ(test::rows(organizer, "responses"), 0);
}

// A response whose signer says it is another vault than the one the package went to.
TEST_F(ReviewTest, AResponseFromAnotherVaultThanThePackagesRecipientIsRefused) {
  Bytes pkg = load(package_for_b());
  Bytes response = approved_response(pkg);
  ASSERT_FALSE(response.data.empty());
  test::TempDir other;
  Vault eve = test::make_vault(other / "eve");
  const std::string eve_recipient = test::recipient_of(eve).to_string();
  Bytes forged = test::encrypt_for(organizer, test::resign(test::decrypt_as(organizer, response), parisa,
                                                           [&](nlohmann::ordered_json& h) { h["signer_recipient"] = eve_recipient; }));
  auto r = import_response(organizer, forged.reader());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::auth_failed);
  EXPECT_NE(r.error().message.find("not written by the vault its package was sent to"), std::string::npos) << r.error().message;
}

TEST_F(ReviewTest, ResponsesThatDoNotAnswerOurPackageAreRefused) {
  Bytes pkg = load(package_for_b());
  auto imported = import_package(parisa, pkg.reader(), trust_organizer());
  ASSERT_TRUE(imported.ok());
  ReviewChanges c;
  c.approve = {"1"};
  ASSERT_TRUE(record_review(parisa, imported->inbox_id, c).ok());
  // A forged reply token: the organizer keeps only its hash, so change the stored token.
  ASSERT_TRUE(bc::core::vault_store(parisa).db().exec("UPDATE inbox SET reply_token = zeroblob(32)").ok());
  Bytes forged;
  ASSERT_TRUE(export_review(parisa, imported->inbox_id, forged.writer()).ok());
  auto r = import_response(organizer, forged.reader());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::auth_failed);
  EXPECT_EQ(test::rows(organizer, "responses"), 0);
}

TEST_F(ReviewTest, ASecondSignerForTheSameParticipantIsRefused) {
  Bytes pkg = load(package_for_b());
  auto imported = import_package(parisa, pkg.reader(), trust_organizer());
  ASSERT_TRUE(imported.ok());
  ReviewChanges c;
  c.approve = {"1"};
  ASSERT_TRUE(record_review(parisa, imported->inbox_id, c).ok());
  Bytes first;
  ASSERT_TRUE(export_review(parisa, imported->inbox_id, first.writer()).ok());
  ASSERT_TRUE(import_response(organizer, first.reader(), trust_parisa()).ok());
  // The participant's key on record differs from the one signing this response (as when someone
  // else got hold of the package and its token).
  ASSERT_TRUE(bc::core::vault_store(organizer).db().exec("UPDATE participants SET signing_key = zeroblob(32) WHERE id IN "
                                          "(SELECT participant_id FROM attendance WHERE key = 'b')").ok());
  Bytes second;
  ASSERT_TRUE(export_review(parisa, imported->inbox_id, second.writer()).ok());
  auto r = import_response(organizer, second.reader());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::auth_failed);
  EXPECT_NE(r.error().message.find("another key"), std::string::npos);
}

// Issue 15, item 1: a participant's first response shows the signer's fingerprint and pins the
// key only when the organizer confirms that fingerprint.
TEST_F(ReviewTest, AFirstResponseIsPinnedOnlyWithTheConfirmedFingerprint) {
  Bytes pkg = load(package_for_b());
  Bytes response = approved_response(pkg);
  ASSERT_FALSE(response.data.empty());
  const auto pinned = [&] {
    return *vault_store(organizer).db().query_int("SELECT count(*) FROM participants WHERE signing_key IS NOT NULL");
  };
  auto unconfirmed = import_response(organizer, response.reader());
  ASSERT_FALSE(unconfirmed.ok());
  EXPECT_EQ(unconfirmed.error().code, ErrorCode::auth_failed);
  EXPECT_EQ(unconfirmed.error().remedy, Remedy::trust_signer);
  EXPECT_EQ(unconfirmed.error().subject, *trust_parisa());
  auto wrong = import_response(organizer, response.reader(), trust_organizer());
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::auth_failed);
  EXPECT_EQ(test::rows(organizer, "responses"), 0);
  EXPECT_EQ(pinned(), 0);
  ASSERT_TRUE(import_response(organizer, response.reader(), trust_parisa()).ok());
  EXPECT_EQ(pinned(), 1);
  auto keys = list_trusted_keys(organizer);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].purpose, "responses");
  EXPECT_EQ((*keys)[0].fingerprint, *trust_parisa());
}

// Issue 15, item 4: responses are ordered by their signed creation time and per-package
// sequence number, not by when they arrive. The participant answers twice; the second answer
// arrives first, and the delayed first one is refused instead of replacing it.
TEST_F(ReviewTest, ADelayedOlderResponseIsRefusedAndDoesNotReplaceANewerOne) {
  Bytes pkg = load(package_for_b());
  auto imported = import_package(parisa, pkg.reader(), trust_organizer());
  ASSERT_TRUE(imported.ok());
  ReviewChanges first;
  first.approve = {"1"};
  ASSERT_TRUE(record_review(parisa, imported->inbox_id, first).ok());
  Bytes older;
  ASSERT_TRUE(export_review(parisa, imported->inbox_id, older.writer()).ok());
  ReviewChanges second;
  second.correct = {{"1", "I said it differently."}};
  ASSERT_TRUE(record_review(parisa, imported->inbox_id, second).ok());
  Bytes newer;
  ASSERT_TRUE(export_review(parisa, imported->inbox_id, newer.writer()).ok());
  EXPECT_NE(test::decrypt_as(organizer, older).find("\"sequence\":1"), std::string::npos);
  EXPECT_NE(test::decrypt_as(organizer, newer).find("\"sequence\":2"), std::string::npos);

  ASSERT_TRUE(import_response(organizer, newer.reader(), trust_parisa()).ok());
  auto late = import_response(organizer, older.reader());
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::conflict);
  EXPECT_NE(late.error().message.find("older than"), std::string::npos) << late.error().message;
  EXPECT_EQ(test::rows(organizer, "responses"), 1);
  // The newer one stays what the organizer sees; importing it again changes nothing.
  EXPECT_TRUE(import_response(organizer, newer.reader())->already_present);
  for (const auto& r : *meeting_responses(organizer, meeting)) {
    if (r.key != "b") continue;
    EXPECT_TRUE(r.approved.empty());
    ASSERT_EQ(r.corrections.size(), 1u);
    EXPECT_EQ(r.corrections[0].second, "I said it differently.");
  }
}

TEST_F(ReviewTest, ABlockedCopyWritesNoPackageAtAll) {
  // Helen Brooks (named) gets a descriptor naming the protected Rostami: her copy would be fine,
  // but a role-level participant's descriptor leaks, so every copy is blocked.
  ParticipantUpdate u;
  u.descriptor = "Rostami's colleague";
  ASSERT_TRUE(update_participant(organizer, meeting, "c", u).ok());
  std::vector<PackageTarget> targets{{"b", test::recipient_of(parisa).to_string()}, {"e", test::recipient_of(parisa).to_string()}};
  auto r = package_summaries(organizer, meeting, Audience::participants, targets, dir / "blocked");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::blocked);
  EXPECT_FALSE(std::filesystem::exists(dir / "blocked") && !std::filesystem::is_empty(dir / "blocked"));
  EXPECT_EQ(test::rows(organizer, "packages_sent"), 0);
}

TEST_F(ReviewTest, MissingRecipientIsAUsageError) {
  auto r = package_summaries(organizer, meeting, Audience::participants, {{"b", std::nullopt}}, dir / "x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::usage);
  // Core names the remedy; the programs phrase it (the CLI: --to b=age1...).
  EXPECT_EQ(r.error().remedy, Remedy::give_recipient);
  EXPECT_EQ(r.error().subject, "b");
  EXPECT_EQ(r.error().message.find("--"), std::string::npos) << r.error().message;
}

// A failure after some packages were written (the statement that records a package cannot even
// be prepared, a row of packages_sent is refused for the second package, the audit entry fails)
// removes every package file written so far: nothing is left behind that the vault does not
// know it sent.
TEST_F(ReviewTest, AFailureAfterSomePackagesWereWrittenLeavesNoPackageBehind) {
  const std::string to = test::recipient_of(parisa).to_string();
  auto& db = vault_store(organizer).db();
  struct Fault {
    const char* inject;
    const char* undo;
    const char* message;
  };
  const Fault faults[] = {
      {"ALTER TABLE packages_sent RENAME TO packages_sent_hidden", "ALTER TABLE packages_sent_hidden RENAME TO packages_sent",
       "no such table"},
      {"CREATE TEMP TRIGGER injected BEFORE INSERT ON packages_sent WHEN (SELECT count(*) FROM packages_sent) >= 1 "
       "BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
       "DROP TRIGGER temp.injected", "injected failure"},
      {"CREATE TEMP TRIGGER injected BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
       "DROP TRIGGER temp.injected", "injected failure"},
  };
  for (const Fault& f : faults) {
    SCOPED_TRACE(f.inject);
    ASSERT_TRUE(db.exec(f.inject).ok());
    const auto out = dir / "partial";
    auto r = package_summaries(organizer, meeting, Audience::participants, {{"a", to}, {"b", to}}, out);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find(f.message), std::string::npos) << r.error().message;
    EXPECT_TRUE(std::filesystem::is_empty(out)) << "a package file was left behind";
    ASSERT_TRUE(db.exec(f.undo).ok());
    EXPECT_EQ(test::rows(organizer, "packages_sent"), 0);
  }
}

}  // namespace
}  // namespace bc::core
