#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "log/record_format.h"
#include "log/wal_log.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/log/log_test_util.h"

namespace hoglet::log {
namespace {

using ::hoglet::log::testing::AppendAndWait;
using ::hoglet::log::testing::ReadAll;
using ::hoglet::log::testing::SegmentFiles;
using ::hoglet::testing::TempDir;
using std::chrono::milliseconds;

WalOptions Options(const TempDir& dir) {
  WalOptions options;
  options.dir = dir.Join("wal");
  options.partitions = 1;
  options.fsync = false;
  return options;
}

std::string PartitionDir(const WalOptions& options) { return options.dir + "/partition-000"; }

// Writes `count` records, one acknowledged group commit each.
void WriteRecords(const WalOptions& options, int count) {
  StatusOr<std::unique_ptr<EventLog>> log = OpenWalLog(options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  for (int i = 0; i < count; ++i) {
    ASSERT_TRUE(AppendAndWait(**log, 0, {"record-" + std::to_string(i)}).ok());
  }
}

void AppendBytes(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void FlipByte(const std::string& path, uint64_t position) {
  std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
  file.seekg(static_cast<std::streamoff>(position));
  char c;
  file.get(c);
  file.seekp(static_cast<std::streamoff>(position));
  file.put(static_cast<char>(c ^ 0x20));
}

// Byte position of the frame of `offset` in a segment of single-record groups "record-<i>".
uint64_t FramePosition(uint64_t base, uint64_t offset) {
  uint64_t position = kSegmentHeaderBytes;
  for (uint64_t i = base; i < offset; ++i) {
    position += kFrameHeaderBytes + ("record-" + std::to_string(i)).size();
  }
  return position;
}

void ExpectRecords(EventLog& log, int count) {
  StatusOr<std::vector<Record>> all = ReadAll(log, 0);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) EXPECT_EQ((*all)[i].payload, "record-" + std::to_string(i));
}

TEST(WalLog, TornTailMidRecordIsTruncatedAndAcknowledgedRecordsKept) {
  TempDir dir;
  WalOptions options = Options(dir);
  WriteRecords(options, 10);
  const std::string segment = SegmentFiles(PartitionDir(options)).back();
  const uint64_t acknowledged_size = std::filesystem::file_size(segment);
  // A crash in the middle of writing the next group: it stops inside its first frame.
  std::string group;
  AppendFrame(&group, 10, 0, "never-acknowledged-1");
  const size_t first_frame = group.size();
  AppendFrame(&group, 11, 1, "never-acknowledged-2");
  AppendBytes(segment, std::string_view(group).substr(0, first_frame - 7));

  StatusOr<std::unique_ptr<EventLog>> log = OpenWalLog(options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ((*log)->EndOffset(0), 10u);
  EXPECT_EQ(std::filesystem::file_size(segment), acknowledged_size);
  ExpectRecords(**log, 10);
  StatusOr<uint64_t> next = AppendAndWait(**log, 0, {"record-10"});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 10u);
}

TEST(WalLog, CompleteFramesBeforeATornFrameAreKept) {
  TempDir dir;
  WalOptions options = Options(dir);
  WriteRecords(options, 10);
  const std::string segment = SegmentFiles(PartitionDir(options)).back();
  std::string group;
  AppendFrame(&group, 10, 0, "record-10");
  AppendFrame(&group, 11, 1, "record-11");
  AppendBytes(segment, std::string_view(group).substr(0, group.size() - 3));
  StatusOr<std::unique_ptr<EventLog>> log = OpenWalLog(options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ((*log)->EndOffset(0), 11u);
  ExpectRecords(**log, 11);
}

TEST(WalLog, GarbageTailIsTruncated) {
  TempDir dir;
  WalOptions options = Options(dir);
  WriteRecords(options, 10);
  const std::string segment = SegmentFiles(PartitionDir(options)).back();
  std::mt19937 random(42);
  std::string garbage(4096, '\0');
  for (char& c : garbage) c = static_cast<char>(random());
  AppendBytes(segment, garbage);
  {
    StatusOr<std::unique_ptr<EventLog>> log = OpenWalLog(options);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    ExpectRecords(**log, 10);
    ASSERT_TRUE(AppendAndWait(**log, 0, {"record-10"}).ok());
  }
  StatusOr<std::unique_ptr<EventLog>> log = OpenWalLog(options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ExpectRecords(**log, 11);
}

TEST(WalLog, TornLastGroupIsTruncatedEvenWithLaterFramesOfThatGroup) {
  TempDir dir;
  WalOptions options = Options(dir);
  WriteRecords(options, 10);
  const std::string segment = SegmentFiles(PartitionDir(options)).back();
  // One group of three; the page holding the middle frame never reached the disk.
  std::string group;
  AppendFrame(&group, 10, 0, "record-10");
  const size_t middle = group.size();
  AppendFrame(&group, 11, 1, "record-11");
  const size_t last = group.size();
  AppendFrame(&group, 12, 2, "record-12");
  std::fill(group.begin() + middle, group.begin() + last, '\0');
  AppendBytes(segment, group);

  StatusOr<std::unique_ptr<EventLog>> log = OpenWalLog(options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ((*log)->EndOffset(0), 11u);
  ExpectRecords(**log, 11);
}

TEST(WalLog, ChecksumMismatchInAcknowledgedDataIsDataLoss) {
  TempDir dir;
  WalOptions options = Options(dir);
  WriteRecords(options, 10);
  const std::string segment = SegmentFiles(PartitionDir(options)).back();
  FlipByte(segment, FramePosition(0, 3) + kFrameHeaderBytes + 2);  // a payload byte of record 3

  StatusOr<std::unique_ptr<EventLog>> log = OpenWalLog(options);
  ASSERT_EQ(log.status().code(), StatusCode::kDataLoss) << log.status().ToString();
  EXPECT_NE(log.status().message().find(segment), std::string::npos) << log.status().message();
  EXPECT_NE(log.status().message().find("record offset 3"), std::string::npos)
      << log.status().message();
}

TEST(WalLog, DamageInSealedSegmentIsDataLoss) {
  TempDir dir;
  WalOptions options = Options(dir);
  options.segment_bytes = 200;
  WriteRecords(options, 30);
  std::vector<std::string> segments = SegmentFiles(PartitionDir(options));
  ASSERT_GT(segments.size(), 2u);
  // The last byte of a sealed segment: its last frame looks torn, but it was acknowledged.
  FlipByte(segments[1], std::filesystem::file_size(segments[1]) - 1);
  StatusOr<std::unique_ptr<EventLog>> log = OpenWalLog(options);
  ASSERT_EQ(log.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(log.status().message().find(segments[1]), std::string::npos);
}

TEST(WalLog, MissingSegmentIsDataLoss) {
  TempDir dir;
  WalOptions options = Options(dir);
  options.segment_bytes = 200;
  WriteRecords(options, 30);
  std::vector<std::string> segments = SegmentFiles(PartitionDir(options));
  ASSERT_GT(segments.size(), 2u);
  std::filesystem::remove(segments[1]);
  EXPECT_EQ(OpenWalLog(options).status().code(), StatusCode::kDataLoss);
}

TEST(WalLog, SegmentWithTornHeaderIsRewritten) {
  TempDir dir;
  WalOptions options = Options(dir);
  WriteRecords(options, 5);
  // A crash while creating the next segment: its header is incomplete.
  AppendBytes(PartitionDir(options) + "/00000000000000000005.seg", "HOGLT");
  StatusOr<std::unique_ptr<EventLog>> log = OpenWalLog(options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ExpectRecords(**log, 5);
  StatusOr<uint64_t> next = AppendAndWait(**log, 0, {"record-5"});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 5u);
  ExpectRecords(**log, 6);
}

TEST(WalLog, ReadReportsDamageFoundAfterOpenAsDataLoss) {
  TempDir dir;
  WalOptions options = Options(dir);
  StatusOr<std::unique_ptr<EventLog>> log = OpenWalLog(options);
  ASSERT_TRUE(log.ok());
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(AppendAndWait(**log, 0, {"record-" + std::to_string(i)}).ok());
  FlipByte(SegmentFiles(PartitionDir(options)).back(), FramePosition(0, 2) + kFrameHeaderBytes);
  StatusOr<std::vector<Record>> records = (*log)->Read(0, 0, 10, 1 << 20, milliseconds(0));
  EXPECT_EQ(records.status().code(), StatusCode::kDataLoss);
  StatusOr<std::vector<Record>> before = (*log)->Read(0, 0, 2, 1 << 20, milliseconds(0));
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->size(), 2u);
}

TEST(WalLog, DamagedMetadataIsDataLoss) {
  TempDir dir;
  WalOptions options = Options(dir);
  WriteRecords(options, 1);
  FlipByte(options.dir + "/META", 13);
  EXPECT_EQ(OpenWalLog(options).status().code(), StatusCode::kDataLoss);
  std::filesystem::remove(options.dir + "/META");
  EXPECT_EQ(OpenWalLog(options).status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace hoglet::log
