// api/dashboard_filters.h: a dashboard's date range and properties applied to an insight's query.
#include "api/dashboard_filters.h"

#include <gtest/gtest.h>

#include <string>

namespace hoglet::api {
namespace {

std::string Applied(std::string_view query, std::string_view filters) {
  auto applied = ApplyDashboardFilters(query, filters);
  EXPECT_TRUE(applied.ok()) << applied.status().ToString();
  return applied.ok() ? *applied : std::string();
}

TEST(DashboardFilters, DatesReplaceTheSourcesRangeInsideTheDisplayNode) {
  EXPECT_EQ(Applied(R"({"kind":"InsightVizNode","source":{"kind":"TrendsQuery",)"
                    R"("dateRange":{"date_from":"-7d","date_to":"-1d"},"series":[]},"full":true})",
                    R"({"date_from":"-30d"})"),
            R"({"kind":"InsightVizNode","source":{"kind":"TrendsQuery","series":[],)"
            R"("dateRange":{"date_from":"-30d","date_to":null}},"full":true})");
}

TEST(DashboardFilters, PropertiesAreAndedWithTheQuerysOwn) {
  const std::string chrome = R"({"key":"$browser","value":"Chrome","type":"event"})";
  const std::string pro = R"({"key":"plan","value":"pro","type":"person"})";
  EXPECT_EQ(Applied(R"({"kind":"TrendsQuery","properties":[)" + pro + "]}",
                    R"({"properties":[)" + chrome + "]}"),
            R"({"kind":"TrendsQuery","properties":[)" + pro + "," + chrome + "]}");
  EXPECT_EQ(Applied(R"({"kind":"TrendsQuery"})", R"({"properties":[)" + chrome + "]}"),
            R"({"kind":"TrendsQuery","properties":[)" + chrome + "]}");
  const std::string group = R"({"type":"OR","values":[)" + pro + "]}";
  EXPECT_EQ(Applied(R"({"kind":"TrendsQuery","properties":)" + group + "}",
                    R"({"properties":[)" + chrome + "]}"),
            R"({"kind":"TrendsQuery","properties":{"type":"AND","values":[)" + group +
                R"(,{"type":"AND","values":[)" + chrome + "]}]}}");
}

TEST(DashboardFilters, OtherQueriesAndEmptyFiltersAreLeftAlone) {
  const std::string hogql = R"({"kind":"HogQLQuery","query":"select 1"})";
  EXPECT_EQ(Applied(hogql, R"({"date_from":"-30d"})"), hogql);
  const std::string trends = R"({"kind":"TrendsQuery","dateRange":{"date_from":"-7d"}})";
  EXPECT_EQ(Applied(trends, "{}"), trends);
  EXPECT_EQ(Applied(trends, R"({"date_from":null,"properties":[]})"), trends);
  EXPECT_FALSE(ApplyDashboardFilters(trends, "[]").ok());
  EXPECT_FALSE(ApplyDashboardFilters("{", "{}").ok());
}

}  // namespace
}  // namespace hoglet::api
