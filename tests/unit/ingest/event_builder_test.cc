#include "ingest/event_builder.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "persons/person_uuid.h"

namespace hoglet::ingest {
namespace {

capture::CapturedEvent Captured(std::string data) {
  capture::CapturedEvent e;
  e.uuid = "0190b5c5-8d3e-7c2a-9b1f-123456789abc";
  e.team_id = 7;
  e.token = "phc_x";
  e.distinct_id = "user-1";
  e.event = "signed up";
  e.data = std::move(data);
  e.timestamp_us = 1'700'000'000'000'000;
  e.now_us = 1'700'000'001'000'000;
  e.ip = "203.0.113.9";
  return e;
}

meta::Project Project(bool anonymize_ips = false) {
  meta::Project p;
  p.id = 7;
  p.anonymize_ips = anonymize_ips;
  return p;
}

simdjson::dom::element Props(simdjson::dom::parser& parser, const store::Event& event) {
  return parser.parse(event.properties);
}

TEST(BuildEvent, CopiesFieldsAndDerivesPersonId) {
  auto event =
      BuildEvent(Captured(R"({"event":"signed up","properties":{"plan":"pro"}})"), Project(), 42);
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(event->uuid.ToString(), "0190b5c5-8d3e-7c2a-9b1f-123456789abc");
  EXPECT_EQ(event->team_id, 7);
  EXPECT_EQ(event->event, "signed up");
  EXPECT_EQ(event->timestamp_us, 1'700'000'000'000'000);
  EXPECT_EQ(event->created_at_us, 42);
  EXPECT_EQ(event->person_id, persons::DeterministicPersonId(7, "user-1"));
  EXPECT_NE(persons::DeterministicPersonId(7, "user-1"),
            persons::DeterministicPersonId(8, "user-1"));
  simdjson::dom::parser parser;
  EXPECT_EQ(std::string_view(Props(parser, *event)["plan"]), "pro");
  EXPECT_EQ(std::string_view(Props(parser, *event)["$ip"]), "203.0.113.9");
}

TEST(BuildEvent, MergesTopLevelSetIntoPropertiesWithTopLevelWinning) {
  auto event = BuildEvent(
      Captured(R"({"properties":{"$set":{"a":1,"b":1}},"$set":{"b":2,"c":2},"$set_once":{"d":3}})"),
      Project(), 0);
  ASSERT_TRUE(event.ok());
  simdjson::dom::parser parser;
  auto props = Props(parser, *event);
  EXPECT_EQ(int64_t(props["$set"]["a"]), 1);
  EXPECT_EQ(int64_t(props["$set"]["b"]), 2);
  EXPECT_EQ(int64_t(props["$set"]["c"]), 2);
  EXPECT_EQ(int64_t(props["$set_once"]["d"]), 3);
}

TEST(BuildEvent, KeepsClientIpAndHonoursAnonymizeIps) {
  simdjson::dom::parser parser;
  auto kept = BuildEvent(Captured(R"({"properties":{"$ip":"1.1.1.1"}})"), Project(), 0);
  EXPECT_EQ(std::string_view(Props(parser, *kept)["$ip"]), "1.1.1.1");
  auto anonymized = BuildEvent(Captured(R"({"properties":{"$ip":"1.1.1.1"}})"), Project(true), 0);
  EXPECT_EQ(Props(parser, *anonymized)["$ip"].error(), simdjson::NO_SUCH_FIELD);
}

TEST(BuildEvent, StampsSentAtAndCutsLongNames) {
  auto captured = Captured(R"({"properties":{}})");
  captured.sent_at_us = 1'672'574'400'000'000;
  captured.event = std::string(250, 'e');
  auto event = BuildEvent(captured, Project(), 0);
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->event.size(), 200u);
  simdjson::dom::parser parser;
  EXPECT_EQ(std::string_view(Props(parser, *event)["$sent_at"]),
            "2023-01-01T12:00:00.000000+00:00");
}

TEST(BuildEvent, CutsAreReportedAsWarnings) {
  auto captured = Captured(R"({"properties":{}})");
  std::vector<persons::EventWarning> warnings;
  ASSERT_TRUE(BuildEvent(captured, Project(), 0, &warnings).ok());
  EXPECT_TRUE(warnings.empty());

  captured.event = std::string(250, 'e');
  captured.distinct_id = std::string(200, 'd');
  captured.distinct_id_chars_before_cut = 4'000;
  auto event = BuildEvent(captured, Project(), 0, &warnings);
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->event, std::string(200, 'e'));
  EXPECT_EQ(warnings, (std::vector<persons::EventWarning>{
                          {"event_name_truncated", R"("eventNameLength":250)"},
                          {"distinct_id_truncated", R"("distinctIdLength":4000)"}}));
}

TEST(BuildEvent, RejectsBodiesThatAreNotObjects) {
  EXPECT_FALSE(BuildEvent(Captured("[1,2]"), Project(), 0).ok());
  EXPECT_FALSE(BuildEvent(Captured("{"), Project(), 0).ok());
}

}  // namespace
}  // namespace hoglet::ingest
