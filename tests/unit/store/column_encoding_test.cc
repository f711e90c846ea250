#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/bitmap.h"
#include "store/block_codec.h"
#include "store/byte_codec.h"
#include "store/column_file.h"
#include "store/fixed_columns.h"
#include "store/json_objects_column.h"
#include "store/property_column.h"
#include "store/property_keys.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/store/test_events.h"

namespace hoglet::store {
namespace {

using testing::TestUuid;

TEST(ByteCodec, VarintsAndStringsRoundTrip) {
  ByteWriter w;
  w.PutVarint(0);
  w.PutVarint(300);
  w.PutVarint(UINT64_MAX);
  w.PutSignedVarint(-5);
  w.PutSignedVarint(INT64_MIN);
  w.PutString("héllo");
  w.PutDouble(-0.25);
  ByteReader r(w.data());
  uint64_t a, b, c;
  int64_t d, e;
  std::string_view s;
  double f;
  ASSERT_TRUE(r.GetVarint(&a) && r.GetVarint(&b) && r.GetVarint(&c));
  ASSERT_TRUE(r.GetSignedVarint(&d) && r.GetSignedVarint(&e));
  ASSERT_TRUE(r.GetString(&s) && r.GetDouble(&f));
  EXPECT_EQ(a, 0u);
  EXPECT_EQ(b, 300u);
  EXPECT_EQ(c, UINT64_MAX);
  EXPECT_EQ(d, -5);
  EXPECT_EQ(e, INT64_MIN);
  EXPECT_EQ(s, "héllo");
  EXPECT_EQ(f, -0.25);
  EXPECT_TRUE(r.empty());
  uint64_t more;
  EXPECT_FALSE(r.GetVarint(&more));
}

TEST(Bitmap, SetGetEncodeRoundTrip) {
  Bitmap bits;
  for (int i = 0; i < 19; ++i) bits.PushBack(i % 3 == 0);
  EXPECT_EQ(bits.size(), 19u);
  EXPECT_EQ(bits.CountOnes(), 7u);
  ByteWriter w;
  bits.EncodeTo(&w);
  EXPECT_EQ(w.size(), 3u);
  Bitmap back;
  ByteReader r(w.data());
  ASSERT_TRUE(back.DecodeFrom(&r, 19));
  EXPECT_EQ(back, bits);
  EXPECT_TRUE(back.Get(18));
  EXPECT_FALSE(back.Get(17));
}

TEST(BlockCodec, Lz4AndZstdRoundTripAndDetectCorruption) {
  std::string raw;
  for (int i = 0; i < 5000; ++i) raw += "event-" + std::to_string(i % 17);
  for (Codec codec : {Codec::kNone, Codec::kLz4, Codec::kZstd}) {
    std::string block = CompressBlock(codec, raw);
    if (codec != Codec::kNone) {
      EXPECT_LT(block.size(), raw.size() / 4);
    }
    StatusOr<std::string> back = DecompressBlock(block);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, raw);
    block.resize(block.size() / 2);
    EXPECT_EQ(DecompressBlock(block).status().code(), StatusCode::kDataLoss);
  }
}

TEST(FixedColumns, UuidInt64TextRoundTrip) {
  std::vector<Uuid> uuids = {TestUuid(1), TestUuid(99), Uuid()};
  EXPECT_EQ(*DecodeUuidBlock(EncodeUuidBlock(uuids)), uuids);
  std::vector<int64_t> ints = {5, 3, INT64_MAX, INT64_MIN, 0, -7};
  EXPECT_EQ(*DecodeInt64Block(EncodeInt64Block(ints)), ints);
  std::vector<std::string_view> texts = {"{\"a\":1}", "", "{\"b\":\"\\u00e9\"}"};
  std::vector<std::string> decoded = *DecodeTextBlock(EncodeTextBlock(texts));
  ASSERT_EQ(decoded.size(), 3u);
  EXPECT_EQ(decoded[2], texts[2]);
  EXPECT_EQ(DecodeInt64Block(EncodeInt64Block(ints) + "x").status().code(), StatusCode::kDataLoss);
}

TEST(StringColumn, DictionaryHoldsEachDistinctValueOnce) {
  std::vector<std::string_view> values = {"$pageview", "$autocapture", "$pageview", "",
                                          "$pageview"};
  StatusOr<DictStrings> back = DecodeDictStringBlock(EncodeDictStringBlock(values));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->dict.size(), 3u);
  ASSERT_EQ(back->size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(back->at(i), values[i]);
}

PropertyColumnData RoundTrip(const PropertyColumnData& data) {
  StatusOr<PropertyColumnData> back = PropertyColumnData::Decode(data.Encode());
  EXPECT_TRUE(back.ok()) << back.status().ToString();
  return back.ok() ? *std::move(back) : PropertyColumnData();
}

void ExpectSameRows(const PropertyColumnData& a, const PropertyColumnData& b) {
  ASSERT_EQ(a.rows(), b.rows());
  for (size_t i = 0; i < a.rows(); ++i) {
    const PropertyValue* x = a.Get(i);
    const PropertyValue* y = b.Get(i);
    ASSERT_EQ(x == nullptr, y == nullptr) << "row " << i;
    if (x != nullptr) {
      EXPECT_EQ(*x, *y) << "row " << i;
    }
  }
}

TEST(PropertyColumn, StringsWithNullsAndAbsentRoundTrip) {
  PropertyColumnData data;
  data.Append(PropertyValue::String("Chrome"));
  data.AppendAbsent();
  data.Append(PropertyValue::String("Firefox"));
  data.AppendNull();
  data.Append(PropertyValue::String("Chrome"));
  EXPECT_EQ(data.BlockType(), PropertyBlockType::kString);
  PropertyColumnData back = RoundTrip(data);
  ExpectSameRows(data, back);
  EXPECT_EQ(back.Get(1), nullptr);
  ASSERT_NE(back.Get(3), nullptr);
  EXPECT_EQ(back.Get(3)->kind, PropertyValue::Kind::kNull);
}

TEST(PropertyColumn, ADecodedStringBlockHoldsEachDistinctValueOnce) {
  PropertyColumnData data;
  for (const char* browser : {"Chrome", "Safari", "Chrome", "", "Chrome", "Safari"}) {
    data.Append(PropertyValue::String(browser));
    data.AppendAbsent();
  }
  data.AppendNull();
  PropertyColumnData back = RoundTrip(data);
  ExpectSameRows(data, back);
  ASSERT_EQ(back.slots(), 3u);  // Chrome, Safari, ""
  EXPECT_EQ(back.SlotOf(0), back.SlotOf(4));
  EXPECT_EQ(back.ValueAt(back.SlotOf(2)).text, "Safari");
  EXPECT_EQ(back.SlotOf(1), PropertyColumnData::kNoSlot);   // absent
  EXPECT_EQ(back.SlotOf(12), PropertyColumnData::kNoSlot);  // null
  // Encoded again, it is the block it was decoded from.
  EXPECT_EQ(back.Encode(), data.Encode());
  ExpectSameRows(RoundTrip(back), data);
}

TEST(PropertyColumn, NumbersRoundTripAsFloat64) {
  PropertyColumnData data;
  for (double v : {0.0, -1.5, 1e300, 42.0}) data.Append(PropertyValue::Number(v));
  data.AppendAbsent();
  EXPECT_EQ(data.BlockType(), PropertyBlockType::kNumber);
  EXPECT_EQ(data.PreferredCodec(), Codec::kLz4);
  ExpectSameRows(data, RoundTrip(data));
}

TEST(PropertyColumn, BoolsRoundTrip) {
  PropertyColumnData data;
  for (int i = 0; i < 20; ++i) data.Append(PropertyValue::Bool(i % 3 == 1));
  EXPECT_EQ(data.BlockType(), PropertyBlockType::kBool);
  PropertyColumnData back = RoundTrip(data);
  ExpectSameRows(data, back);
  EXPECT_TRUE(back.Get(4)->boolean);
  EXPECT_FALSE(back.Get(5)->boolean);
}

TEST(PropertyColumn, OnlyNullsAndAbsentRoundTrip) {
  PropertyColumnData data;
  data.AppendNull();
  data.AppendAbsent();
  EXPECT_EQ(data.BlockType(), PropertyBlockType::kEmpty);
  ExpectSameRows(data, RoundTrip(data));
}

TEST(PropertyColumn, MixedTypesKeepEachRowsKind) {
  PropertyColumnData data;
  data.Append(PropertyValue::String("5"));
  data.Append(PropertyValue::Number(5));
  data.Append(PropertyValue::Bool(true));
  data.Append(PropertyValue::Json("{\"a\":[1,2]}"));
  data.AppendNull();
  data.AppendAbsent();
  EXPECT_EQ(data.BlockType(), PropertyBlockType::kMixed);
  PropertyColumnData back = RoundTrip(data);
  ExpectSameRows(data, back);
  EXPECT_EQ(back.Get(0)->kind, PropertyValue::Kind::kString);
  EXPECT_EQ(back.Get(1)->kind, PropertyValue::Kind::kNumber);
  EXPECT_EQ(back.Get(2)->kind, PropertyValue::Kind::kBool);
  EXPECT_EQ(back.Get(3)->kind, PropertyValue::Kind::kJson);
}

TEST(PropertyColumn, NestedJsonRoundTrip) {
  PropertyColumnData data;
  data.Append(PropertyValue::Json("{\"a\":{\"b\":[true,null,\"x\"]}}"));
  data.Append(PropertyValue::Json("[]"));
  EXPECT_EQ(data.BlockType(), PropertyBlockType::kJson);
  PropertyColumnData back = RoundTrip(data);
  ExpectSameRows(data, back);
  EXPECT_EQ(back.Get(0)->text, "{\"a\":{\"b\":[true,null,\"x\"]}}");
}

TEST(PropertyColumn, CorruptBlockIsDataLoss) {
  PropertyColumnData data;
  data.Append(PropertyValue::String("x"));
  std::string raw = data.Encode();
  raw[1] = 9;  // unknown block type
  EXPECT_EQ(PropertyColumnData::Decode(raw).status().code(), StatusCode::kDataLoss);
}

TEST(PropertyKeys, PropertiesAreWrittenMinifiedInTheGivenOrder) {
  PropertyValue text = PropertyValue::String("say \"hi\"\n");
  PropertyValue number = PropertyValue::Number(1.5);
  PropertyValue whole = PropertyValue::Number(1e21);
  PropertyValue yes = PropertyValue::Bool(true);
  PropertyValue null = PropertyValue::Null();
  PropertyValue nested = PropertyValue::Json(R"({"a":[1,{}]})");
  std::vector<PropertyRef> refs = {{"z\"", &text}, {"n", &number}, {"big", &whole},
                                   {"b", &yes},    {"x", &null},   {"deep", &nested}};
  std::string out;
  AppendPropertiesJson(refs, &out);
  EXPECT_EQ(out, R"({"z\"":"say \"hi\"\n","n":1.5,"big":1e+21,"b":true,"x":null,)"
                 R"("deep":{"a":[1,{}]}})");
  out.clear();
  AppendPropertiesJson({}, &out);
  EXPECT_EQ(out, "{}");
}

TEST(PropertyKeys, RowsByKeyListAndAsTextRoundTrip) {
  PropertyValue one = PropertyValue::Number(1);
  PropertyKeysBuilder builder;
  builder.AddKeys(std::vector<PropertyRef>{{"a", &one}, {"b", &one}});
  builder.AddText(R"({"a":1.0})");
  builder.AddKeys(std::vector<PropertyRef>{{"b", &one}, {"a", &one}});  // another order
  builder.AddKeys(std::vector<PropertyRef>{{"a", &one}, {"b", &one}});
  builder.AddKeys({});
  builder.AddText("not json");
  EXPECT_EQ(builder.rows(), 6u);
  StatusOr<PropertyKeysBlock> block = DecodePropertyKeysBlock(builder.Encode());
  ASSERT_TRUE(block.ok()) << block.status().ToString();
  using Keys = std::vector<std::string>;
  EXPECT_EQ(block->lists, (std::vector<Keys>{{"a", "b"}, {"b", "a"}, {}}));
  EXPECT_EQ(block->rows, (std::vector<uint32_t>{1, 0, 2, 1, 3, 0}));
  EXPECT_EQ(block->texts, (std::vector<std::string>{R"({"a":1.0})", "not json"}));

  // Key lists that differ only in where one key ends and the next begins stay apart.
  builder.Clear();
  builder.AddKeys(std::vector<PropertyRef>{{"ab", &one}, {"c", &one}});
  builder.AddKeys(std::vector<PropertyRef>{{"a", &one}, {"bc", &one}});
  block = DecodePropertyKeysBlock(builder.Encode());
  ASSERT_TRUE(block.ok());
  EXPECT_EQ(block->lists.size(), 2u);
}

TEST(PropertyKeys, CorruptBlockIsDataLoss) {
  PropertyValue one = PropertyValue::Number(1);
  PropertyKeysBuilder builder;
  builder.AddKeys(std::vector<PropertyRef>{{"a", &one}});
  builder.AddText("{}");
  std::string raw = builder.Encode();
  ASSERT_TRUE(DecodePropertyKeysBlock(raw).ok());
  EXPECT_EQ(DecodePropertyKeysBlock(raw + "x").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(DecodePropertyKeysBlock(raw.substr(0, raw.size() - 1)).status().code(),
            StatusCode::kDataLoss);
  std::string out_of_range = raw;
  out_of_range[5] = 7;  // the first row names key list 6 of 1
  EXPECT_EQ(DecodePropertyKeysBlock(out_of_range).status().code(), StatusCode::kDataLoss);
}

TEST(JsonObjectsColumn, EveryTextComesBackByteForByte) {
  const std::vector<std::string_view> texts = {
      R"({"plan":"free","age":31,"beta":false,"email":"a@example.com"})",
      R"({"plan":"free","age":31,"beta":false,"email":"a@example.com"})",  // the same again
      R"({"age":44,"plan":"pro","x":null,"tags":["a",{"b":1}]})",          // another key order
      R"({"plan":"pro","age":44.0})",                                      // a number as text
      R"({"name":"\u00e9"})",                                              // an escape as text
      "",                                                                  // not JSON
      "{}",
      R"({"plan":"free","age":31,"beta":false,"email":"a@example.com"})",
  };
  StatusOr<std::vector<std::string>> back = DecodeJsonObjectsBlock(EncodeJsonObjectsBlock(texts));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, std::vector<std::string>(texts.begin(), texts.end()));

  back = DecodeJsonObjectsBlock(EncodeJsonObjectsBlock({}));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->empty());
}

TEST(JsonObjectsColumn, RowsHoldingOneTextKeepItOnce) {
  const std::string text = R"({"plan":"free","email":"someone.with.a.long.address@example.com"})";
  std::vector<std::string_view> texts(1000, text);
  const std::string raw = EncodeJsonObjectsBlock(texts);
  EXPECT_LT(raw.size(), 1000 + 2 * text.size());  // a byte per row, the text's values once
  StatusOr<std::vector<std::string>> back = DecodeJsonObjectsBlock(raw);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, std::vector<std::string>(1000, text));
}

TEST(JsonObjectsColumn, CorruptBlockIsDataLoss) {
  const std::string raw = EncodeJsonObjectsBlock({R"({"a":1})", R"({"a":2})"});
  ASSERT_TRUE(DecodeJsonObjectsBlock(raw).ok());
  EXPECT_EQ(DecodeJsonObjectsBlock(raw + "x").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(DecodeJsonObjectsBlock(raw.substr(0, raw.size() - 1)).status().code(),
            StatusCode::kDataLoss);
  std::string out_of_range = raw;
  out_of_range[2] = 5;  // the second row holds distinct text 5 of 2
  EXPECT_EQ(DecodeJsonObjectsBlock(out_of_range).status().code(), StatusCode::kDataLoss);
}

TEST(ColumnFile, RecordsBlockMinMaxAndVerifiesChecksums) {
  hoglet::testing::TempDir dir;
  std::string path = dir.Join("columns");
  ColumnSink sink(fs::Env::Default(), path);
  ColumnFileWriter writer(&sink, /*flush_bytes=*/16);
  std::vector<int64_t> a = {30, 10, 20};
  std::vector<int64_t> b = {-5, 100};
  ASSERT_TRUE(writer.AddBlock(EncodeInt64Block(a), Codec::kLz4, 3, 10, 30).ok());
  ASSERT_TRUE(writer.AddBlock(EncodeInt64Block(b), Codec::kLz4, 2, -5, 100).ok());
  StatusOr<uint64_t> end = writer.Finish();
  ASSERT_TRUE(end.ok());

  StatusOr<ReadOnlyFile> file = ReadOnlyFile::Open(fs::Env::Default(), path);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->size(), *end);
  StatusOr<ColumnIndex> index = ReadColumnIndex(*file, *end);
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  ASSERT_EQ(index->blocks.size(), 2u);
  EXPECT_EQ(index->blocks[0].min, 10);
  EXPECT_EQ(index->blocks[0].max, 30);
  EXPECT_EQ(index->blocks[1].min, -5);
  EXPECT_EQ(index->blocks[1].rows, 2u);
  StatusOr<std::string> raw = ReadColumnBlock(*file, index->blocks[1]);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(*DecodeInt64Block(*raw), b);

  BlockInfo corrupt = index->blocks[1];
  corrupt.crc ^= 1;
  EXPECT_EQ(ReadColumnBlock(*file, corrupt).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(ReadColumnIndex(*file, *end + 1).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(ReadColumnIndex(*file, *end - 1).status().code(), StatusCode::kDataLoss);
}

// Columns sharing one file: their flushed chunks interleave, and each index, read from where
// its trailer ends, finds that column's blocks and no other's.
TEST(ColumnFile, ColumnsSharingAFileReadBackTheirOwnBlocks) {
  hoglet::testing::TempDir dir;
  std::string path = dir.Join("columns");
  ColumnSink sink(fs::Env::Default(), path);
  ColumnFileWriter first(&sink, /*flush_bytes=*/40);
  ColumnFileWriter second(&sink, /*flush_bytes=*/1);
  std::vector<std::vector<int64_t>> first_blocks, second_blocks;
  for (int64_t i = 0; i < 20; ++i) {
    first_blocks.push_back({i, i * 7, -i});
    second_blocks.push_back({1000 + i});
    ASSERT_TRUE(
        first.AddBlock(EncodeInt64Block(first_blocks.back()), Codec::kLz4, 3, -i, i * 7).ok());
    ASSERT_TRUE(
        second.AddBlock(EncodeInt64Block(second_blocks.back()), Codec::kNone, 1, 1000 + i, 1000 + i)
            .ok());
  }
  StatusOr<uint64_t> first_end = first.Finish();
  StatusOr<uint64_t> second_end = second.Finish();
  ASSERT_TRUE(first_end.ok() && second_end.ok());
  EXPECT_LT(*first_end, *second_end);
  EXPECT_EQ(sink.size(), *second_end);

  StatusOr<ReadOnlyFile> file = ReadOnlyFile::Open(fs::Env::Default(), path);
  ASSERT_TRUE(file.ok());
  const std::pair<uint64_t, const std::vector<std::vector<int64_t>>*> columns[] = {
      {*first_end, &first_blocks}, {*second_end, &second_blocks}};
  for (const auto& [end, blocks] : columns) {
    StatusOr<ColumnIndex> index = ReadColumnIndex(*file, end);
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    ASSERT_EQ(index->blocks.size(), blocks->size());
    for (size_t i = 0; i < blocks->size(); ++i) {
      StatusOr<std::string> raw = ReadColumnBlock(*file, index->blocks[i]);
      ASSERT_TRUE(raw.ok()) << raw.status().ToString();
      EXPECT_EQ(*DecodeInt64Block(*raw), (*blocks)[i]);
    }
  }
}

}  // namespace
}  // namespace hoglet::store
