// Series, meetings and RFC 3339 timestamps.
#include "backchannel/core/meetings.h"

#include "vault_fixture.h"

namespace bc::core {
namespace {

TEST(Timestamp, NormalizesToUtc) {
  EXPECT_EQ(*normalize_timestamp("2005-06-14T09:00:00Z"), "2005-06-14T09:00:00Z");
  EXPECT_EQ(*normalize_timestamp("2005-06-14t09:00:00z"), "2005-06-14T09:00:00Z");
  EXPECT_EQ(*normalize_timestamp("2005-06-14 09:00:00Z"), "2005-06-14T09:00:00Z");
  EXPECT_EQ(*normalize_timestamp("2005-06-14T09:00:00+03:30"), "2005-06-14T05:30:00Z");
  EXPECT_EQ(*normalize_timestamp("2005-06-14T22:00:00-05:00"), "2005-06-15T03:00:00Z");
  EXPECT_EQ(*normalize_timestamp("2005-01-01T01:00:00+02:00"), "2004-12-31T23:00:00Z");
  EXPECT_EQ(*normalize_timestamp("2024-02-29T12:00:00.250Z"), "2024-02-29T12:00:00.250Z");
  EXPECT_EQ(*normalize_timestamp("2016-12-31T23:59:60Z"), "2016-12-31T23:59:60Z") << "leap second";
  EXPECT_EQ(*normalize_timestamp("2005-06-14T09:00:00+00:00"), "2005-06-14T09:00:00Z");
  EXPECT_EQ(*normalize_timestamp("2005-06-14T09:00:00.5-00:00"), "2005-06-14T09:00:00.5Z");
}

TEST(Timestamp, RejectsWhatIsNotRfc3339) {
  for (const char* bad : {"", "2005-06-14", "2005-06-14T09:00Z", "2005-06-14T09:00:00", "2005-13-01T00:00:00Z",
                          "2005-02-29T00:00:00Z", "2005-04-31T00:00:00Z", "2005-06-14T24:00:00Z",
                          "2005-06-14T09:60:00Z", "2005-06-14T09:00:00+24:00", "2005-06-14T09:00:00.Z",
                          "2005-06-14T09:00:00Zjunk", "x005-06-14T09:00:00Z", "2005-06-14T09:00:00+0300"}) {
    auto r = normalize_timestamp(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::bad_input);
    }
  }
}

class MeetingsTest : public test::VaultTest {};

TEST_F(MeetingsTest, EnsureSeriesFindsByTitle) {
  auto a = ensure_series(vault, "Gulf Security Dialogue", Rule::off_the_record);
  auto b = ensure_series(vault, "Gulf Security Dialogue", Rule::chatham_house);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  auto all = list_series(vault);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].rule, Rule::off_the_record) << "the first rule stays";
}

TEST_F(MeetingsTest, CreateListAndGet) {
  auto s = ensure_series(vault, "S", Rule::on_background);
  NewMeeting m;
  m.series_id = *s;
  m.title = "Round 1";
  m.starts_at = "2024-01-01T10:00:00+01:00";
  m.public_terms = {"Iran"};
  auto id = create_meeting(vault, m);
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto got = get_meeting(vault, *id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->starts_at, "2024-01-01T09:00:00Z");
  EXPECT_EQ(got->effective_rule(), Rule::on_background);
  EXPECT_EQ(got->public_terms, std::vector<std::string>{"Iran"});
  EXPECT_EQ(list_meetings(vault)->size(), 1u);
  EXPECT_EQ(get_meeting(vault, 99).error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace bc::core
