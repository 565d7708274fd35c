// Participants and their disclosure levels.
#include "backchannel/core/participants.h"

#include "vault_fixture.h"

namespace bc::core {
namespace {

class ParticipantsTest : public test::VaultTest {
 protected:
  void SetUp() override {
    VaultTest::SetUp();
    meeting = import_sample();
  }
  std::int64_t meeting = 0;
};

TEST_F(ParticipantsTest, AddAndFind) {
  NewParticipant p;
  p.key = "f";
  p.name = "Soraya Farahani";
  p.affiliation = "Tehran Peace Museum";
  p.aliases = {"سورایا فراهانی", "Dr. Farahani"};
  p.disclosure = {DisclosureLevel::pseudonym, DisclosureLevel::hidden};
  auto id = add_participant(vault, meeting, p);
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto got = find_participant(vault, meeting, "f");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "Soraya Farahani");
  EXPECT_EQ(got->aliases, p.aliases);
  EXPECT_EQ(got->level_for(Audience::public_), DisclosureLevel::hidden);
  EXPECT_EQ(got->position, 6);
  EXPECT_EQ(add_participant(vault, meeting, p).error().code, ErrorCode::conflict) << "duplicate key";
}

TEST_F(ParticipantsTest, UpdateChangesOnlyWhatIsGiven) {
  ParticipantUpdate u;
  u.disclosure[static_cast<int>(Audience::public_)] = DisclosureLevel::hidden;
  u.descriptor = "an Iranian official";
  u.aliases = std::vector<std::string>{"پریسا"};
  ASSERT_TRUE(update_participant(vault, meeting, "b", u).ok());
  auto b = find_participant(vault, meeting, "b");
  EXPECT_EQ(b->level_for(Audience::participants), DisclosureLevel::pseudonym);
  EXPECT_EQ(b->level_for(Audience::public_), DisclosureLevel::hidden);
  EXPECT_EQ(*b->descriptor, "an Iranian official");
  EXPECT_EQ(*b->affiliation, "Department of Environment");
  EXPECT_EQ(b->aliases, std::vector<std::string>{"پریسا"});
  ParticipantUpdate clear;
  clear.affiliation = "";
  ASSERT_TRUE(update_participant(vault, meeting, "b", clear).ok());
  EXPECT_FALSE(find_participant(vault, meeting, "b")->affiliation.has_value());
}

TEST_F(ParticipantsTest, UnknownKeyAndBadTextAreRejected) {
  ParticipantUpdate u;
  u.name = "x";
  EXPECT_EQ(update_participant(vault, meeting, "nobody", u).error().code, ErrorCode::not_found);
  u.name = std::string("bad\xE2\x80\xAEname");
  EXPECT_EQ(update_participant(vault, meeting, "b", u).error().code, ErrorCode::bad_input);
  EXPECT_EQ(find_participant(vault, meeting, "b")->name, "Parisa Hashemi");
}

}  // namespace
}  // namespace bc::core
