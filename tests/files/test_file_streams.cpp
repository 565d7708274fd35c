// InputFile and OutputFile: the one rule for every output file (refuse an existing file unless
// told to replace it; appear only when complete) and reading files or standard input.
#include "backchannel/files/file_streams.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "test_support.h"

namespace bc::files {
namespace {

std::span<const std::uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(OutputFile, AnExistingFileIsRefusedBeforeAnythingIsWrittenAndLeftAlone) {
  test::TempDir dir;
  test::write_file(dir / "summary.md", "earlier work");
  auto out = OutputFile::create(dir / "summary.md", Overwrite::refuse);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ErrorCode::conflict);
  EXPECT_NE(out.error().message.find("already exists"), std::string::npos) << out.error().message;
  EXPECT_EQ(test::read_file(dir / "summary.md"), "earlier work");
  EXPECT_EQ(test::snapshot(dir.path()).size(), 1u);
}

TEST(OutputFile, ReplaceSwapsTheWholeFileOnlyAtCommit) {
  test::TempDir dir;
  test::write_file(dir / "a.age", "old");
  auto out = OutputFile::create(dir / "a.age", Overwrite::replace);
  ASSERT_TRUE(out.ok()) << out.error().message;
  ASSERT_TRUE(out->write(std::string_view("new ")).ok());
  ASSERT_TRUE(out->writer()(bytes("contents")).ok());
  EXPECT_EQ(test::read_file(dir / "a.age"), "old") << "nothing replaced before commit";
  ASSERT_TRUE(out->commit().ok());
  EXPECT_EQ(test::read_file(dir / "a.age"), "new contents");
  struct stat st{};
  ASSERT_EQ(::stat((dir / "a.age").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(test::snapshot(dir.path()).size(), 1u) << "no temporary left";
}

TEST(OutputFile, WithoutCommitNothingAppearsAndNoTemporaryStays) {
  test::TempDir dir;
  {
    auto out = OutputFile::create(dir / "half.md", Overwrite::refuse);
    ASSERT_TRUE(out.ok());
    ASSERT_TRUE(out->write(std::string_view("partial")).ok());
  }
  EXPECT_TRUE(test::snapshot(dir.path()).empty());
}

TEST(OutputFile, AFileThatAppearsWhileWritingIsNotReplaced) {
  test::TempDir dir;
  auto out = OutputFile::create(dir / "race.md", Overwrite::refuse);
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE(out->write(std::string_view("ours")).ok());
  test::write_file(dir / "race.md", "theirs");
  auto st = out->commit();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::conflict);
  EXPECT_EQ(test::read_file(dir / "race.md"), "theirs");
  EXPECT_EQ(test::snapshot(dir.path()).size(), 1u);
}

TEST(OutputFile, AFolderOrNoNameIsRefused) {
  test::TempDir dir;
  auto folder = OutputFile::create(dir.path(), Overwrite::replace);
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.error().code, ErrorCode::bad_input);
  auto none = OutputFile::create("", Overwrite::refuse);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::usage);
}

TEST(OutputFile, DashIsStandardOutput) {
  auto out = OutputFile::create("-", Overwrite::refuse);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->is_standard_output());
  EXPECT_EQ(out->name(), "standard output");
}

TEST(OutputFile, WriteOutputFileFollowsTheSameRule) {
  test::TempDir dir;
  ASSERT_TRUE(write_output_file(dir / "x", "1", Overwrite::refuse).ok());
  EXPECT_EQ(write_output_file(dir / "x", "2", Overwrite::refuse).error().code, ErrorCode::conflict);
  EXPECT_EQ(test::read_file(dir / "x"), "1");
  ASSERT_TRUE(write_output_file(dir / "x", "3", Overwrite::replace).ok());
  EXPECT_EQ(test::read_file(dir / "x"), "3");
}

TEST(InputFile, ReadsAWholeFileInPiecesAndKnowsItsSize) {
  test::TempDir dir;
  const std::string text(10000, 'q');
  test::write_file(dir / "in", text);
  auto in = InputFile::open(dir / "in");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->size(), text.size());
  std::string got;
  std::uint8_t buf[333];
  while (true) {
    auto n = in->reader()(buf);
    ASSERT_TRUE(n.ok());
    if (*n == 0) break;
    got.append(reinterpret_cast<const char*>(buf), *n);
  }
  EXPECT_EQ(got, text);
}

TEST(InputFile, AMissingFileIsNotFoundAndAFolderIsBadInput) {
  test::TempDir dir;
  auto missing = InputFile::open(dir / "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  auto folder = InputFile::open(dir.path());
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.error().code, ErrorCode::bad_input);
  EXPECT_EQ(InputFile::open("-")->name(), "standard input");
}

}  // namespace
}  // namespace bc::files
