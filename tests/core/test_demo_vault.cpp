// The demo vault: what it contains and that it is always the same.
#include "backchannel/core/demo_vault.h"

#include <set>

#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "vault_fixture.h"

namespace bc::core {
namespace {

class DemoTest : public test::VaultTest {};

TEST_F(DemoTest, HasTheAdvertisedShape) {
  auto s = populate_demo(vault);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_GE(s->meetings, 3u);
  EXPECT_GE(s->participants, 12u);
  EXPECT_GE(s->notes, 200u);
  auto meetings = list_meetings(vault);
  ASSERT_EQ(meetings->size(), s->meetings);
  std::set<DisclosureLevel> levels;
  bool persian_name = false, persian_note = false, organizer_note = false;
  for (const auto& m : *meetings) {
    for (const auto& p : *list_participants(vault, m.id)) {
      levels.insert(p.disclosure[0]);
      levels.insert(p.disclosure[1]);
      for (const auto& a : p.aliases) persian_name = persian_name || a.find("\xD9") != std::string::npos ||
                                                   a.find("\xDB") != std::string::npos;
    }
    for (const auto& n : *list_notes(vault, m.id)) {
      persian_note = persian_note || n.text.find("\xD8") != std::string::npos;
      organizer_note = organizer_note || n.visibility == Visibility::organizers;
    }
  }
  EXPECT_EQ(levels.size(), 5u) << "every disclosure level appears";
  EXPECT_TRUE(persian_name);
  EXPECT_TRUE(persian_note);
  EXPECT_TRUE(organizer_note);
}

TEST_F(DemoTest, IsDeterministic) {
  ASSERT_TRUE(populate_demo(vault).ok());
  test::TempDir other;
  auto c = Vault::create(other / "v", test::secret("p"), crypto::KdfProfile::interactive);
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(populate_demo(c->vault).ok());
  auto texts = [](Vault& v) {
    std::vector<std::string> out;
    for (const auto& m : *list_meetings(v))
      for (const auto& n : *list_notes(v, m.id)) out.push_back(n.text);
    return out;
  };
  EXPECT_EQ(texts(vault), texts(c->vault));
}

}  // namespace
}  // namespace bc::core
