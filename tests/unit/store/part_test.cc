#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "store/column_file.h"
#include "store/event_order.h"
#include "store/fixed_columns.h"
#include "store/merger.h"
#include "store/part_meta.h"
#include "store/part_reader.h"
#include "store/part_writer.h"
#include "store/property_keys.h"
#include "store/read_only_file.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/store/test_events.h"

namespace hoglet::store {
namespace {

using testing::kDay0Us;
using testing::kHourUs;
using testing::MakeEvent;

PartMeta BaseMeta(int64_t team, int64_t day) {
  PartMeta meta;
  meta.part_id = 7;
  meta.team_id = team;
  meta.day = day;
  meta.written_at_us = 123;
  meta.positions = {{3, 42}};
  return meta;
}

std::vector<Event> ReadAll(const Part& part) {
  std::vector<Event> out;
  PartCursor cursor(part);
  auto index = part.TimestampIndex();
  EXPECT_TRUE(index.ok());
  for (size_t b = 0; b < (*index)->blocks.size(); ++b) {
    auto events = cursor.ReadEvents(b);
    EXPECT_TRUE(events.ok()) << events.status().ToString();
    for (Event& e : *events) out.push_back(std::move(e));
  }
  return out;
}

TEST(PartMeta, EncodeDecodeRoundTripAndChecksum) {
  PartMeta meta = BaseMeta(5, 19000);
  meta.row_count = 10;
  meta.replaces = {1, 2};
  meta.property_overflow = true;
  meta.columns.push_back({"$browser", ColumnType::kProperty, "p0.col", 99});
  std::string data = EncodePartMeta(meta);
  StatusOr<PartMeta> back = DecodePartMeta(data);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->replaces, meta.replaces);
  EXPECT_EQ(back->columns, meta.columns);
  EXPECT_TRUE(back->property_overflow);
  ASSERT_EQ(back->positions.size(), 1u);
  EXPECT_EQ(back->positions[0].next_offset, 42u);
  data[10] ^= 0x40;
  EXPECT_EQ(DecodePartMeta(data).status().code(), StatusCode::kDataLoss);
}

TEST(PartWriter, RoundTripRecoversEventsAndExactPropertiesText) {
  hoglet::testing::TempDir dir;
  int64_t day = DayOf(kDay0Us);
  std::vector<Event> events;
  std::mt19937 rng(7);
  for (int i = 0; i < 50; ++i) {
    std::string props = i % 5 == 0
                            ? "{ \"$browser\" : \"Chrome\",  \"n\": 1.50e1, \"u\":\"\\u00e9\" }"
                            : "{\"i\":" + std::to_string(i) + ",\"deep\":{\"a\":[1,{}]}}";
    events.push_back(MakeEvent(1, static_cast<uint64_t>(i), kDay0Us + rng() % (20 * kHourUs), props,
                               i % 2 ? "a" : "b", 1 + rng() % 4));
  }
  if (events.size() > 3) events[3].properties = "not json at all";
  std::vector<Event> sorted = events;
  std::sort(sorted.begin(), sorted.end(), StorageOrderLess);
  PartWriterOptions options;
  options.block_rows = 8;  // several blocks, last one partial
  options.fsync = false;
  auto writer = PartWriter::Create(dir.Join("p"), BaseMeta(1, day), options);
  ASSERT_TRUE(writer.ok());
  for (const Event& e : sorted) ASSERT_TRUE((*writer)->Add(e).ok());
  StatusOr<PartMeta> meta = (*writer)->Finish();
  ASSERT_TRUE(meta.ok()) << meta.status().ToString();
  EXPECT_EQ(meta->row_count, 50u);
  EXPECT_NE(meta->FindColumn("$browser", ColumnType::kProperty), nullptr);
  EXPECT_NE(meta->FindColumn("deep", ColumnType::kProperty), nullptr);
  EXPECT_FALSE(meta->property_overflow);

  StatusOr<std::shared_ptr<Part>> part = Part::Open(fs::Env::Default(), dir.Join("p"));
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  EXPECT_EQ(ReadAll(**part), sorted);  // every field, properties byte for byte, in order

  // Typed column values line up with the rows.
  PartCursor cursor(**part);
  auto browser = cursor.Property("$browser", 0);
  ASSERT_TRUE(browser.ok());
  ASSERT_NE(*browser, nullptr);
  for (size_t row = 0; row < 8; ++row) {
    const PropertyValue* v = (*browser)->Get(row);
    if (sorted[row].properties.find("Chrome") != std::string::npos) {
      ASSERT_NE(v, nullptr);
      EXPECT_EQ(v->text, "Chrome");
    } else {
      EXPECT_EQ(v, nullptr);
    }
  }
}

// The raw blocks of a part's properties column (store/property_keys.h).
std::vector<PropertyKeysBlock> PropertyKeysBlocks(const std::string& dir, const PartMeta& meta) {
  std::vector<PropertyKeysBlock> out;
  StatusOr<ReadOnlyFile> columns =
      ReadOnlyFile::Open(fs::Env::Default(), dir + "/" + std::string(kPartColumnsFile));
  EXPECT_TRUE(columns.ok());
  const ColumnMeta* column = meta.FindColumn(kPropertiesColumn, ColumnType::kPropertyKeys);
  EXPECT_NE(column, nullptr);
  if (!columns.ok() || column == nullptr) return out;
  StatusOr<ColumnIndex> index = ReadColumnIndex(*columns, column->end);
  EXPECT_TRUE(index.ok());
  for (const BlockInfo& block : index->blocks) {
    StatusOr<std::string> raw = ReadColumnBlock(*columns, block);
    EXPECT_TRUE(raw.ok());
    StatusOr<PropertyKeysBlock> keys = DecodePropertyKeysBlock(*raw);
    EXPECT_TRUE(keys.ok()) << keys.status().ToString();
    if (keys.ok()) out.push_back(std::move(*keys));
  }
  return out;
}

TEST(PartWriter, PropertiesAreKeptAsTextOnlyWhereTheirColumnsWouldNotGiveThemBack) {
  hoglet::testing::TempDir dir;
  // Rows in storage order (one person, rising times).
  const std::vector<std::pair<std::string, bool>> rows = {
      // {properties, kept as text}
      {R"({"$browser":"Chrome","n":1.5,"ok":true,"x":null,"deep":{"a":[1,{}]}})", false},
      {R"({"n":2,"$browser":"Safari"})", false},  // another key order
      {R"({})", false},
      {R"({"q":"say \"hi\"\n"})", false},       // escapes as the columns write them
      {R"({"n":1.0})", true},                   // a number written otherwise
      {R"({"u":"\u00e9"})", true},              // a string escaped otherwise
      {R"({"n":1,"n":2})", true},               // a repeated key
      {R"({ "n": 1 })", true},                  // not minified
      {R"({"a":1,"b":2,"c":3,"d":4})", true},   // keys beyond the columns
      {R"([1,2])", true},                       // not an object
      {R"({"n":12345678901234567890})", true},  // beyond a double's precision
  };
  std::vector<Event> events;
  for (size_t i = 0; i < rows.size(); ++i) {
    events.push_back(MakeEvent(1, i + 1, kDay0Us + static_cast<int64_t>(i) * 1000, rows[i].first));
    // The person's properties at ingestion: by key, or kept as text.
    events.back().person_properties = i % 3 == 0   ? R"({"plan":"free","n":1})"
                                      : i % 3 == 1 ? R"({"plan":"pro","n":2.50})"
                                                   : rows[i].first;
  }
  PartWriterOptions options;
  options.fsync = false;
  options.block_rows = 4;
  options.max_property_columns = 8;
  auto writer = PartWriter::Create(dir.Join("p"), BaseMeta(1, DayOf(kDay0Us)), options);
  ASSERT_TRUE(writer.ok());
  for (const Event& e : events) ASSERT_TRUE((*writer)->Add(e).ok());
  StatusOr<PartMeta> meta = (*writer)->Finish();
  ASSERT_TRUE(meta.ok()) << meta.status().ToString();
  EXPECT_TRUE(meta->property_overflow);

  std::vector<std::string> texts;
  std::vector<bool> as_text;
  for (const PropertyKeysBlock& block : PropertyKeysBlocks(dir.Join("p"), *meta)) {
    for (uint32_t row : block.rows) as_text.push_back(row == 0);
    texts.insert(texts.end(), block.texts.begin(), block.texts.end());
  }
  std::vector<bool> expected_as_text;
  std::vector<std::string> expected_texts;
  for (const auto& [properties, text] : rows) {
    expected_as_text.push_back(text);
    if (text) expected_texts.push_back(properties);
  }
  EXPECT_EQ(as_text, expected_as_text);
  EXPECT_EQ(texts, expected_texts);

  StatusOr<std::shared_ptr<Part>> part = Part::Open(fs::Env::Default(), dir.Join("p"));
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  EXPECT_EQ((*part)->meta().format_version, 3u);
  EXPECT_NE((*part)->meta().FindColumn(kPersonPropertiesColumn, ColumnType::kJsonObjects), nullptr);
  EXPECT_EQ(ReadAll(**part), events);  // every row's texts byte for byte
}

TEST(Part, PropertiesKeptByAKeyWithoutItsColumnAreDataLoss) {
  hoglet::testing::TempDir dir;
  PartWriterOptions options;
  options.fsync = false;
  auto writer = PartWriter::Create(dir.Join("p"), BaseMeta(1, DayOf(kDay0Us)), options);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Add(MakeEvent(1, 1, kDay0Us, R"({"a":1})")).ok());
  StatusOr<PartMeta> meta = (*writer)->Finish();
  ASSERT_TRUE(meta.ok());
  // The column of "a" is named otherwise in the meta; the properties column still names "a".
  PartMeta broken = *meta;
  for (ColumnMeta& column : broken.columns) {
    if (column.type == ColumnType::kProperty) column.name = "b";
  }
  ASSERT_TRUE(fs::WriteFile(fs::Env::Default(), dir.Join("p") + "/" + std::string(kPartMetaFile),
                            EncodePartMeta(broken), /*sync=*/false)
                  .ok());
  StatusOr<std::shared_ptr<Part>> part = Part::Open(fs::Env::Default(), dir.Join("p"));
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  PartCursor cursor(**part);
  EXPECT_EQ(cursor.Properties(0).status().code(), StatusCode::kDataLoss);
}

TEST(PartWriter, RowsAreOrderedByPersonThenTime) {
  hoglet::testing::TempDir dir;
  std::vector<Event> events;
  for (int i = 0; i < 30; ++i) {
    events.push_back(MakeEvent(1, static_cast<uint64_t>(100 - i), kDay0Us + (i * 7919 % 30) * 1000,
                               "{}", "e", 1 + i % 3));
  }
  std::sort(events.begin(), events.end(), StorageOrderLess);
  PartWriterOptions options;
  options.fsync = false;
  auto writer = PartWriter::Create(dir.Join("p"), BaseMeta(1, DayOf(kDay0Us)), options);
  ASSERT_TRUE(writer.ok());
  for (const Event& e : events) ASSERT_TRUE((*writer)->Add(e).ok());
  ASSERT_TRUE((*writer)->Finish().ok());
  auto part = Part::Open(fs::Env::Default(), dir.Join("p"));
  ASSERT_TRUE(part.ok());
  std::vector<Event> back = ReadAll(**part);
  ASSERT_EQ(back.size(), 30u);
  for (size_t i = 1; i < back.size(); ++i) {
    EXPECT_FALSE(StorageOrderLess(back[i], back[i - 1])) << i;
    if (back[i].person_id == back[i - 1].person_id) {
      EXPECT_GE(back[i].timestamp_us, back[i - 1].timestamp_us);
    }
  }
}

TEST(PartWriter, RejectsOutOfOrderRowsAndForeignTeams) {
  hoglet::testing::TempDir dir;
  PartWriterOptions options;
  options.fsync = false;
  auto writer = PartWriter::Create(dir.Join("p"), BaseMeta(1, DayOf(kDay0Us)), options);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Add(MakeEvent(1, 1, kDay0Us + 10)).ok());
  EXPECT_EQ((*writer)->Add(MakeEvent(1, 2, kDay0Us + 5)).code(), StatusCode::kInternal);
  EXPECT_EQ((*writer)->Add(MakeEvent(2, 3, kDay0Us + 20)).code(), StatusCode::kInternal);
}

TEST(PartWriter, KeysBeyondTheColumnCapStayInJson) {
  hoglet::testing::TempDir dir;
  PartWriterOptions options;
  options.fsync = false;
  options.max_property_columns = 2;
  auto writer = PartWriter::Create(dir.Join("p"), BaseMeta(1, DayOf(kDay0Us)), options);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Add(MakeEvent(1, 1, kDay0Us, R"({"a":1,"b":2,"c":3})")).ok());
  StatusOr<PartMeta> meta = (*writer)->Finish();
  ASSERT_TRUE(meta.ok());
  EXPECT_TRUE(meta->property_overflow);
  EXPECT_NE(meta->FindColumn("a", ColumnType::kProperty), nullptr);
  EXPECT_NE(meta->FindColumn("b", ColumnType::kProperty), nullptr);
  EXPECT_EQ(meta->FindColumn("c", ColumnType::kProperty), nullptr);
}

TEST(PartWriter, KeyFirstSeenInALaterBlockIsAbsentBefore) {
  hoglet::testing::TempDir dir;
  PartWriterOptions options;
  options.fsync = false;
  options.block_rows = 4;
  auto writer = PartWriter::Create(dir.Join("p"), BaseMeta(1, DayOf(kDay0Us)), options);
  ASSERT_TRUE(writer.ok());
  for (int i = 0; i < 10; ++i) {
    std::string props = i == 6 ? R"({"late":"x"})" : (i == 8 ? R"({"late":7})" : "{}");
    ASSERT_TRUE((*writer)->Add(MakeEvent(1, static_cast<uint64_t>(i), kDay0Us + i, props)).ok());
  }
  ASSERT_TRUE((*writer)->Finish().ok());
  auto part = Part::Open(fs::Env::Default(), dir.Join("p"));
  ASSERT_TRUE(part.ok());
  PartCursor cursor(**part);
  for (size_t block = 0; block < 3; ++block) {
    auto column = cursor.Property("late", block);
    ASSERT_TRUE(column.ok()) << column.status().ToString();
    ASSERT_NE(*column, nullptr);
    for (size_t row = 0; row < (*column)->rows(); ++row) {
      size_t i = block * 4 + row;
      const PropertyValue* v = (*column)->Get(row);
      if (i == 6) {
        ASSERT_NE(v, nullptr);
        EXPECT_EQ(v->text, "x");
      } else if (i == 8) {
        ASSERT_NE(v, nullptr);
        EXPECT_EQ(v->number, 7);
      } else {
        EXPECT_EQ(v, nullptr) << i;
      }
    }
  }
}

TEST(PartWriter, LargeRowsMakeShortBlocksThatStillLineUp) {
  hoglet::testing::TempDir dir;
  PartWriterOptions options;
  options.fsync = false;
  options.block_rows = 100;
  options.block_bytes = 5000;
  std::vector<Event> events;
  for (int i = 0; i < 40; ++i) {
    // Every third event carries ~3 kB; "late" first appears after the first block.
    std::string props = "{\"i\":" + std::to_string(i) +
                        (i % 3 == 0 ? ",\"pad\":\"" + std::string(3000, 'x') + "\"" : "") +
                        (i >= 20 ? ",\"late\":" + std::to_string(i) : "") + "}";
    events.push_back(MakeEvent(1, static_cast<uint64_t>(i), kDay0Us + i, props));
  }
  auto writer = PartWriter::Create(dir.Join("p"), BaseMeta(1, DayOf(kDay0Us)), options);
  ASSERT_TRUE(writer.ok());
  for (const Event& e : events) ASSERT_TRUE((*writer)->Add(e).ok());
  ASSERT_TRUE((*writer)->Finish().ok());

  auto part = Part::Open(fs::Env::Default(), dir.Join("p"));
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  EXPECT_EQ(ReadAll(**part), events);
  auto index = (*part)->TimestampIndex();
  ASSERT_TRUE(index.ok());
  ASSERT_GT((*index)->blocks.size(), 5u);  // 40 rows, far under block_rows, in short blocks
  PartCursor cursor(**part);
  size_t first_row = 0;
  for (size_t block = 0; block < (*index)->blocks.size(); ++block) {
    auto properties = cursor.Properties(block);
    ASSERT_TRUE(properties.ok());
    size_t text = 0;
    for (const std::string& p : *properties) text += p.size();
    // A block closes on the row that reaches the bound: at most one row past it.
    EXPECT_LT(text, options.block_bytes + 3100) << block;
    auto i_column = cursor.Property("i", block);
    auto late_column = cursor.Property("late", block);
    ASSERT_TRUE(i_column.ok() && late_column.ok());
    ASSERT_NE(*i_column, nullptr);
    ASSERT_NE(*late_column, nullptr);  // blocks before its first row hold it absent
    ASSERT_EQ((*i_column)->rows(), properties->size());
    for (size_t row = 0; row < properties->size(); ++row) {
      const size_t i = first_row + row;
      ASSERT_NE((*i_column)->Get(row), nullptr);
      EXPECT_EQ((*i_column)->Get(row)->number, static_cast<double>(i));
      const PropertyValue* late = (*late_column)->Get(row);
      if (i >= 20) {
        ASSERT_NE(late, nullptr) << i;
        EXPECT_EQ(late->number, static_cast<double>(i));
      } else {
        EXPECT_EQ(late, nullptr) << i;
      }
    }
    first_row += properties->size();
  }
  EXPECT_EQ(first_row, events.size());
}

// A part as format version 1 wrote it: the same blocks, one file per column (`<name>.col`,
// `p<N>.col` for property columns), each ending with its index.
void RewriteAsVersion1(const std::string& dir) {
  StatusOr<std::shared_ptr<Part>> part = Part::Open(fs::Env::Default(), dir);
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  StatusOr<ReadOnlyFile> columns =
      ReadOnlyFile::Open(fs::Env::Default(), dir + "/" + std::string(kPartColumnsFile));
  ASSERT_TRUE(columns.ok());
  PartMeta meta = (*part)->meta();
  meta.format_version = 1;
  PartCursor cursor(**part);
  for (size_t i = 0; i < meta.columns.size(); ++i) {
    ColumnMeta& column = meta.columns[i];
    StatusOr<ColumnIndex> index = ReadColumnIndex(*columns, column.end);
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    column.file = column.type == ColumnType::kProperty ? "p" + std::to_string(i) + ".col"
                                                       : column.name + ".col";
    ColumnSink sink(fs::Env::Default(), dir + "/" + column.file);
    ColumnFileWriter writer(&sink);
    for (size_t b = 0; b < index->blocks.size(); ++b) {
      const BlockInfo& block = index->blocks[b];
      StatusOr<std::string> raw = ReadColumnBlock(*columns, block);
      ASSERT_TRUE(raw.ok());
      if (column.type == ColumnType::kPropertyKeys || column.type == ColumnType::kJsonObjects) {
        // Version 1 kept the properties and person properties as text.
        StatusOr<std::vector<std::string>> texts = column.type == ColumnType::kPropertyKeys
                                                       ? cursor.Properties(b)
                                                       : cursor.PersonProperties(b);
        ASSERT_TRUE(texts.ok()) << texts.status().ToString();
        *raw = EncodeTextBlock(std::vector<std::string_view>(texts->begin(), texts->end()));
      }
      ASSERT_TRUE(writer.AddBlock(*raw, Codec::kZstd, block.rows, block.min, block.max).ok());
    }
    StatusOr<uint64_t> end = writer.Finish();
    ASSERT_TRUE(end.ok());
    column.end = *end;
    if (column.type == ColumnType::kPropertyKeys || column.type == ColumnType::kJsonObjects) {
      column.type = ColumnType::kText;
    }
  }
  ASSERT_EQ(::remove((dir + "/" + std::string(kPartColumnsFile)).c_str()), 0);
  ASSERT_TRUE(fs::WriteFile(fs::Env::Default(), dir + "/" + std::string(kPartMetaFile),
                            EncodePartMeta(meta), /*sync=*/false)
                  .ok());
}

TEST(Part, AVersion1PartWithAFilePerColumnReadsTheSame) {
  hoglet::testing::TempDir dir;
  std::vector<Event> events;
  for (int i = 0; i < 40; ++i) {
    events.push_back(MakeEvent(
        1, static_cast<uint64_t>(i), kDay0Us + i * 1000,
        R"({"$browser":"B)" + std::to_string(i % 3) + R"(","n":)" + std::to_string(i) + "}",
        i % 2 ? "a" : "b", 1 + i % 5));
  }
  std::sort(events.begin(), events.end(), StorageOrderLess);
  PartWriterOptions options;
  options.block_rows = 16;
  options.fsync = false;
  auto writer = PartWriter::Create(dir.Join("p"), BaseMeta(1, DayOf(kDay0Us)), options);
  ASSERT_TRUE(writer.ok());
  for (const Event& e : events) ASSERT_TRUE((*writer)->Add(e).ok());
  StatusOr<PartMeta> written = (*writer)->Finish();
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(written->format_version, kPartFormatVersion);
  RewriteAsVersion1(dir.Join("p"));

  StatusOr<std::shared_ptr<Part>> part = Part::Open(fs::Env::Default(), dir.Join("p"));
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  EXPECT_EQ((*part)->meta().format_version, 1u);
  EXPECT_NE((*part)->meta().FindColumn(kPropertiesColumn, ColumnType::kText), nullptr);
  EXPECT_EQ(ReadAll(**part), events);
  PartCursor cursor(**part);
  auto n = cursor.Property("n", 1);
  ASSERT_TRUE(n.ok() && *n != nullptr);
  const std::string& properties = events[16].properties;  // block 1 starts at row 16
  EXPECT_EQ((*n)->Get(0)->number, std::stod(properties.substr(properties.find("\"n\":") + 4)));
}

TEST(Part, AVersion1PartMergedWithANewPartGivesANewPartHoldingEveryRowAsItWas) {
  hoglet::testing::TempDir dir;
  // Two parts of one day: the first rewritten as version 1 (text columns), the second as written.
  std::vector<Event> all;
  PartWriterOptions options;
  options.block_rows = 8;
  options.fsync = false;
  for (int p = 0; p < 2; ++p) {
    std::vector<Event> events;
    for (int i = 0; i < 20; ++i) {
      const int n = p * 20 + i;
      events.push_back(MakeEvent(1, static_cast<uint64_t>(n + 1), kDay0Us + n * 1000,
                                 n % 4 == 0 ? R"({"n":1.0,"u":"\u00e9"})"
                                            : R"({"$browser":"B)" + std::to_string(n % 3) +
                                                  R"(","n":)" + std::to_string(n) + "}",
                                 "$pageview", 1 + n % 5));
      events.back().person_properties = R"({"plan":"p)" + std::to_string(n % 5) + R"("})";
    }
    std::sort(events.begin(), events.end(), StorageOrderLess);
    const std::string part_dir = dir.Join("p" + std::to_string(p));
    auto writer = PartWriter::Create(part_dir, BaseMeta(1, DayOf(kDay0Us)), options);
    ASSERT_TRUE(writer.ok());
    for (const Event& e : events) ASSERT_TRUE((*writer)->Add(e).ok());
    ASSERT_TRUE((*writer)->Finish().ok());
    if (p == 0) RewriteAsVersion1(part_dir);
    all.insert(all.end(), events.begin(), events.end());
  }
  std::sort(all.begin(), all.end(), StorageOrderLess);
  std::vector<std::shared_ptr<const Part>> sources;
  for (const char* name : {"p0", "p1"}) {
    StatusOr<std::shared_ptr<Part>> part = Part::Open(fs::Env::Default(), dir.Join(name));
    ASSERT_TRUE(part.ok()) << part.status().ToString();
    sources.push_back(*part);
  }
  EXPECT_EQ(sources[0]->meta().format_version, 1u);

  auto writer = PartWriter::Create(dir.Join("merged"), BaseMeta(1, DayOf(kDay0Us)), options);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(MergeParts(sources, writer->get(), nullptr).ok());
  ASSERT_TRUE((*writer)->Finish().ok());
  StatusOr<std::shared_ptr<Part>> merged = Part::Open(fs::Env::Default(), dir.Join("merged"));
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ((*merged)->meta().format_version, kPartFormatVersion);
  EXPECT_NE((*merged)->meta().FindColumn(kPropertiesColumn, ColumnType::kPropertyKeys), nullptr);
  EXPECT_NE((*merged)->meta().FindColumn(kPersonPropertiesColumn, ColumnType::kJsonObjects),
            nullptr);
  EXPECT_EQ(ReadAll(**merged), all);
}

TEST(Part, MissingColumnFileIsDataLoss) {
  hoglet::testing::TempDir dir;
  PartWriterOptions options;
  options.fsync = false;
  auto writer = PartWriter::Create(dir.Join("p"), BaseMeta(1, DayOf(kDay0Us)), options);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Add(MakeEvent(1, 1, kDay0Us)).ok());
  ASSERT_TRUE((*writer)->Finish().ok());
  ASSERT_EQ(::remove(dir.Join("p/columns").c_str()), 0);
  EXPECT_EQ(Part::Open(fs::Env::Default(), dir.Join("p")).status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace hoglet::store
