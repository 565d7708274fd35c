// Atomic replacement of small files and the temp-file writer.
#include "backchannel/files/atomic_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_support.h"

namespace bc::files {
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

// A writer killed before commit leaves its hidden temporary; the next write to the same target
// removes it, but never the temporary of a writer that is still alive (it holds a flock) or one
// created moments ago, and never another target's.
TEST(AtomicFile, NextWriterRemovesTemporariesOfDeadWritersOnly) {
  test::TempDir dir;
  auto age_it = [](const std::filesystem::path& p) {
    const timespec old[2] = {{::time(nullptr) - 60, 0}, {::time(nullptr) - 60, 0}};
    ASSERT_EQ(::utimensat(AT_FDCWD, p.c_str(), old, 0), 0);
  };
  const auto dead = dir / ".out.age.tmp-0123456789ab";
  const auto live = dir / ".out.age.tmp-aaaaaaaaaaaa";
  const auto fresh = dir / ".out.age.tmp-bbbbbbbbbbbb";
  const auto other_target = dir / ".other.age.tmp-0123456789ab";
  const auto not_ours = dir / ".out.age.tmp-notahexsuffix";
  for (const auto& p : {dead, live, fresh, other_target, not_ours}) test::write_file(p, "partial plaintext");
  for (const auto& p : {dead, live, other_target, not_ours}) age_it(p);

  // A live writer in another process holds its temporary's lock.
  int ready[2], release[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(release), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const int fd = ::open(live.c_str(), O_RDWR);
    const bool locked = fd >= 0 && ::flock(fd, LOCK_EX) == 0;
    char c = locked ? 'y' : 'n';
    if (::write(ready[1], &c, 1) != 1) ::_exit(2);
    if (::read(release[0], &c, 1) < 0) ::_exit(3);
    ::_exit(0);
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');

  auto w = AtomicFileWriter::create(dir / "out.age", false);
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_TRUE(w->write(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("new"), 3)).ok());
  ASSERT_TRUE(w->commit().ok());
  ASSERT_EQ(::write(release[1], "x", 1), 1);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  for (int fd : {ready[0], ready[1], release[0], release[1]}) ::close(fd);

  EXPECT_FALSE(std::filesystem::exists(dead)) << "the dead writer's temporary is removed";
  EXPECT_TRUE(std::filesystem::exists(live)) << "a live writer's temporary is kept";
  EXPECT_TRUE(std::filesystem::exists(fresh)) << "a temporary created moments ago is kept";
  EXPECT_TRUE(std::filesystem::exists(other_target));
  EXPECT_TRUE(std::filesystem::exists(not_ours));
  EXPECT_EQ(test::read_file(dir / "out.age"), "new");
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
}  // namespace bc::files
