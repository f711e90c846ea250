#include "log/consumer_offsets.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace hoglet::log {
namespace {

using ::hoglet::testing::TempDir;

std::unique_ptr<ConsumerOffsets> MustOpen(const std::string& dir, int partitions) {
  StatusOr<std::unique_ptr<ConsumerOffsets>> offsets =
      ConsumerOffsets::Open(fs::Env::Default(), dir, partitions, /*sync=*/true);
  EXPECT_TRUE(offsets.ok()) << offsets.status().ToString();
  return offsets.ok() ? std::move(offsets).value() : nullptr;
}

TEST(ConsumerOffsets, CommitsSurviveReopen) {
  TempDir dir;
  {
    auto offsets = MustOpen(dir.path(), 3);
    ASSERT_TRUE(offsets->Commit("ingest", 0, 10).ok());
    ASSERT_TRUE(offsets->Commit("ingest", 2, 30).ok());
    ASSERT_TRUE(offsets->Commit("exports/webhook 1", 2, 5).ok());
    EXPECT_EQ(offsets->Committed("ingest", 2), 30u);
  }
  auto offsets = MustOpen(dir.path(), 3);
  EXPECT_EQ(offsets->Committed("ingest", 0), 10u);
  EXPECT_EQ(offsets->Committed("ingest", 1), 0u);
  EXPECT_EQ(offsets->Committed("ingest", 2), 30u);
  EXPECT_EQ(offsets->Committed("exports/webhook 1", 2), 5u);
  EXPECT_EQ(offsets->MinCommitted(2), std::optional<uint64_t>(5));
  EXPECT_EQ(offsets->MinCommitted(1), std::optional<uint64_t>(0));
}

TEST(ConsumerOffsets, MinCommittedIsEmptyWithoutConsumers) {
  TempDir dir;
  auto offsets = MustOpen(dir.path(), 2);
  EXPECT_FALSE(offsets->MinCommitted(0).has_value());
}

TEST(ConsumerOffsets, NamesAreEscapedIntoSafeFileNames) {
  EXPECT_EQ(ConsumerOffsets::FileNameFor("ingest-1.a_b"), "ingest-1.a_b.offsets");
  EXPECT_EQ(ConsumerOffsets::FileNameFor("../x y"), "%2E.%2Fx%20y.offsets");
}

TEST(ConsumerOffsets, DamagedFileIsDataLoss) {
  TempDir dir;
  {
    auto offsets = MustOpen(dir.path(), 2);
    ASSERT_TRUE(offsets->Commit("ingest", 1, 99).ok());
  }
  const std::string path = dir.Join("ingest.offsets");
  std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
  file.seekp(30);
  file.put('\x7f');
  file.close();
  EXPECT_EQ(ConsumerOffsets::Open(fs::Env::Default(), dir.path(), 2, true).status().code(),
            StatusCode::kDataLoss);
}

TEST(ConsumerOffsets, LeftoverTemporaryFileIsIgnored) {
  TempDir dir;
  {
    auto offsets = MustOpen(dir.path(), 1);
    ASSERT_TRUE(offsets->Commit("ingest", 0, 7).ok());
  }
  std::ofstream(dir.Join("ingest.offsets.tmp")) << "half written";
  auto offsets = MustOpen(dir.path(), 1);
  EXPECT_EQ(offsets->Committed("ingest", 0), 7u);
  EXPECT_FALSE(std::filesystem::exists(dir.Join("ingest.offsets.tmp")));
}

}  // namespace
}  // namespace hoglet::log
