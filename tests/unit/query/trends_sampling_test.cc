// samplingFactor on trends (analytics §3.1): only the events of the distinct ids whose
// cityHash64 falls below factor × 2^64 are read, the same ones every time, and count-like values
// are scaled back up by 1/factor (averages and quantiles are not). Which test distinct ids are in
// a sample of 0.25 was worked out by hand from their CityHash64 values:
//   d3 0.067, d7 0.083, d6 0.230, d12 0.244 (of 2^64): in;  d1 0.351, d2 0.901, d4 0.580: out.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "base/city_hash.h"
#include "query/sampling.h"
#include "query/trends_insight.h"
#include "query/trends_query_parser.h"
#include "tests/unit/query/insight_test_store.h"

namespace hoglet::query {
namespace {

TEST(Sampling, KeepsTheDistinctIdsWhoseHashIsBelowTheBound) {
  EXPECT_EQ(SampleUpperBound(0.25), 4611686018427387904ULL);  // 2^62
  EXPECT_EQ(CityHash64("d3"), 1238833177063193289ULL);
  EXPECT_EQ(CityHash64("d1"), 6477698454369261750ULL);
  EXPECT_TRUE(InSample("d3", 0.25));
  EXPECT_TRUE(InSample("d7", 0.25));
  EXPECT_TRUE(InSample("d12", 0.25));
  EXPECT_FALSE(InSample("d1", 0.25));
  EXPECT_FALSE(InSample("d4", 0.25));
  EXPECT_TRUE(InSample("d1", 0.5));  // 0.351 < 0.5
  EXPECT_FALSE(InSample("d2", 0.5));
}

TEST(Sampling, CorrectsByOneOverTheFactorRoundingHalfToEven) {
  EXPECT_EQ(CorrectForSampling(3, 0.1), 30);
  EXPECT_EQ(CorrectForSampling(1, 0.3), 3);    // 3.33
  EXPECT_EQ(CorrectForSampling(5, 0.4), 12);   // 12.5: to even, as Python's round()
  EXPECT_EQ(CorrectForSampling(7, 0.4), 18);   // 17.5
  EXPECT_EQ(CorrectForSampling(2.5, 0.5), 5);  // a sum's fraction scaled, then rounded
}

TEST(Sampling, ScalesCountsAndSumsNotAveragesOrPerActorMaths) {
  EXPECT_TRUE(MathScaledBySampling(Math::kTotal));
  EXPECT_TRUE(MathScaledBySampling(Math::kDau));
  EXPECT_TRUE(MathScaledBySampling(Math::kSum));
  EXPECT_TRUE(MathScaledBySampling(Math::kHogQL));
  EXPECT_TRUE(MathScaledBySampling(Math::kFirstTimeForUser));
  EXPECT_FALSE(MathScaledBySampling(Math::kAvg));
  EXPECT_FALSE(MathScaledBySampling(Math::kP90));
  EXPECT_FALSE(MathScaledBySampling(Math::kMedianCountPerActor));
}

class TrendsSampling : public InsightTestStore {
 protected:
  void SetUp() override {
    InsightTestStore::SetUp();
    // In the sample of 0.25: d3 (two events on the 8th) and d7 (one on the 8th, one on the 10th).
    Add("$pageview", 3, "2024-01-08T10:00:00Z", R"({"price": 10})");
    Add("$pageview", 3, "2024-01-08T11:00:00Z", R"({"price": 20})");
    Add("$pageview", 7, "2024-01-08T12:00:00Z", R"({"price": 30})");
    Add("$pageview", 7, "2024-01-10T09:00:00Z", R"({"price": 40})");
    // Out of it: d1 and d2, and person 3's other distinct id d4 (the key is the distinct id).
    Add("$pageview", 1, "2024-01-08T13:00:00Z", R"({"price": 1000})");
    Add("$pageview", 1, "2024-01-08T14:00:00Z", R"({"price": 1000})");
    Add("$pageview", 1, "2024-01-08T15:00:00Z", R"({"price": 1000})");
    Add("$pageview", 2, "2024-01-09T10:00:00Z", R"({"price": 500})");
    Add("$pageview", 3, "2024-01-09T11:00:00Z", R"({"price": 500})", "d4");
  }

  StatusOr<TrendsQuery> Parse(const std::string& json) {
    simdjson::dom::parser parser;
    return ParseTrendsQuery(parser.parse(json).value());
  }

  // Each line as "<data…> =<count>" (or "=<aggregated value>" for total-value displays).
  std::vector<std::string> Lines(const std::string& series, const std::string& extra = "") {
    Flush();
    StatusOr<TrendsQuery> query =
        Parse(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-2d"}, "series": [)" + series +
              "]" + extra + "}");
    if (!query.ok()) return {query.status().message()};
    StatusOr<TrendsAnswer> answer = AnswerTrends(*query, context_, source(), kTestTeam);
    if (!answer.ok()) return {answer.status().message()};
    std::vector<std::string> lines;
    for (const TrendsLine& line : answer->result.lines) {
      std::string text;
      for (double v : line.data) text += std::to_string(static_cast<int64_t>(v)) + " ";
      text += "=" + std::to_string(static_cast<int64_t>(line.data.empty() ? line.aggregated_value
                                                                          : line.count));
      lines.push_back(text);
    }
    return lines;
  }
};

TEST_F(TrendsSampling, WithoutSamplingEveryEventCounts) {
  EXPECT_EQ(Lines(R"({"kind": "EventsNode", "event": "$pageview"})"),
            (std::vector<std::string>{"6 2 1 =9"}));
  EXPECT_EQ(Lines(R"({"kind": "EventsNode", "event": "$pageview"})", R"(, "samplingFactor": 1)"),
            (std::vector<std::string>{"6 2 1 =9"}));
  EXPECT_EQ(Lines(R"({"kind": "EventsNode", "event": "$pageview"})", R"(, "samplingFactor": null)"),
            (std::vector<std::string>{"6 2 1 =9"}));
}

TEST_F(TrendsSampling, CountsTheSampleScaledBackUp) {
  // In the sample: 3 events on the 8th, none on the 9th, 1 on the 10th; × 4.
  EXPECT_EQ(Lines(R"({"kind": "EventsNode", "event": "$pageview"})", R"(, "samplingFactor": 0.25)"),
            (std::vector<std::string>{"12 0 4 =16"}));
  // The same answer every time.
  EXPECT_EQ(Lines(R"({"kind": "EventsNode", "event": "$pageview"})", R"(, "samplingFactor": 0.25)"),
            (std::vector<std::string>{"12 0 4 =16"}));
}

TEST_F(TrendsSampling, ScalesDistinctPersonsAndSumsButNotAverages) {
  EXPECT_EQ(Lines(R"({"kind": "EventsNode", "event": "$pageview", "math": "dau"},
                     {"kind": "EventsNode", "event": "$pageview", "math": "sum",
                      "math_property": "price"},
                     {"kind": "EventsNode", "event": "$pageview", "math": "avg",
                      "math_property": "price"})",
                  R"(, "samplingFactor": 0.25)"),
            (std::vector<std::string>{
                "8 0 4 =12",       // persons 3 and 7, then 7; 3 in all, × 4
                "240 0 160 =400",  // 10+20+30, 40; × 4
                "20 0 40 =60",     // averages of the sample, as computed
            }));
}

TEST_F(TrendsSampling, ScalesTotalValueDisplays) {
  EXPECT_EQ(Lines(R"({"kind": "EventsNode", "event": "$pageview"})",
                  R"(, "samplingFactor": 0.25, "trendsFilter": {"display": "BoldNumber"})"),
            (std::vector<std::string>{"=16"}));
}

TEST_F(TrendsSampling, RefusesAFactorThatIsNotANumberFromZeroToOne) {
  for (const char* factor : {"1.5", "-0.1", "\"0.1\""}) {
    StatusOr<TrendsQuery> query =
        Parse(std::string(R"({"kind": "TrendsQuery", "series": [{"kind": "EventsNode"}],
                             "samplingFactor": )") +
              factor + "}");
    ASSERT_FALSE(query.ok()) << factor;
    EXPECT_NE(query.status().message().find("query.samplingFactor"), std::string::npos)
        << query.status().message();
  }
}

}  // namespace
}  // namespace hoglet::query
