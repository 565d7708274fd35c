// Atomic replacement of small files and the temp-file writer.
#include "backchannel/storage/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "test_support.h"

namespace bc::storage {
namespace {

TEST(AtomicFile, WritesAndReplaces) {
  test::TempDir dir;
  ASSERT_TRUE(write_file_atomically(dir / "f", std::string_view("one")).ok());
  ASSERT_TRUE(write_file_atomically(dir / "f", std::string_view("two")).ok());
  EXPECT_EQ(test::read_file(dir / "f"), "two");
  struct stat st;
  ASSERT_EQ(::stat((dir / "f").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(test::snapshot(dir.path()).size(), 1u) << "no temp file left behind";
}

TEST(AtomicFile, AbandonedWriterLeavesNothing) {
  test::TempDir dir;
  {
    auto w = AtomicFileWriter::create(dir / "out.age", false);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->write(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("partial"), 7)).ok());
  }
  EXPECT_TRUE(test::snapshot(dir.path()).empty());
}

TEST(AtomicFile, WriterRefusesToReplaceWhenAsked) {
  test::TempDir dir;
  test::write_file(dir / "out", "precious");
  auto w = AtomicFileWriter::create(dir / "out", false);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, ErrorCode::conflict);
  EXPECT_EQ(test::read_file(dir / "out"), "precious");
}

TEST(AtomicFile, TargetAppearingDuringWriteIsNotReplaced) {
  test::TempDir dir;
  auto w = AtomicFileWriter::create(dir / "out", false);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->write(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("new"), 3)).ok());
  test::write_file(dir / "out", "appeared meanwhile");
  auto st = w->commit();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(test::read_file(dir / "out"), "appeared meanwhile");
  EXPECT_EQ(test::snapshot(dir.path()).size(), 1u);
}

TEST(AtomicFile, ReadSmallFileRefusesLargeFilesBeforeReading) {
  test::TempDir dir;
  test::write_file(dir / "big", std::string(1000, 'x'));
  auto r = read_small_file(dir / "big", 999);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::bad_input);
  auto ok = read_small_file(dir / "big", 1000);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->size(), 1000u);
  auto missing = read_small_file(dir / "none", 10);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
}

TEST(AtomicFile, ErrorInAMissingFolderIsClear) {
  auto st = write_file_atomically("/nonexistent-folder-bc/f", std::string_view("x"));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::io);
}

}  // namespace
}  // namespace bc::storage
