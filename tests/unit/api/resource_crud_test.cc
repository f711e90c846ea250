// The REST edge shared by actions, cohorts and feature flags, over records kept in memory.
#include "api/resource_crud.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace hoglet::api {
namespace {

using ::testing::HasSubstr;

struct Note {
  int64_t id = 0;
  int64_t team_id = 0;
  int64_t created_at_us = 0;
  bool deleted = false;
  std::string text;
};

// Notes of every project by id, and the resource edge over them.
class Notes {
 public:
  Notes() {
    resource_.what = "note";
    resource_.read = [this](int64_t team_id, int64_t id) -> StatusOr<Note> {
      auto found = notes_.find(id);
      if (found == notes_.end() || found->second.team_id != team_id) {
        return NotFoundError("no note");
      }
      return found->second;
    };
    resource_.list = [this](int64_t team_id) {
      std::vector<Note> live;
      for (const auto& [id, note] : notes_) {
        if (note.team_id == team_id && !note.deleted) live.push_back(note);
      }
      return StatusOr<std::vector<Note>>(std::move(live));
    };
    resource_.create = [this](const Note& note) -> StatusOr<Note> {
      if (note.text == "taken") return AlreadyExistsError("text taken");
      Note stored = note;
      stored.id = next_id_++;
      return notes_[stored.id] = stored;
    };
    resource_.update = [this](const Note& note) -> StatusOr<Note> {
      return notes_[note.id] = note;
    };
    resource_.response = [](int status, const Note& note) {
      return http::Response::Json(status, "\"" + note.text + "\"");
    };
  }

  StoredResource<Note>& resource() { return resource_; }
  std::map<int64_t, Note>& notes() { return notes_; }

 private:
  StoredResource<Note> resource_;
  std::map<int64_t, Note> notes_;
  int64_t next_id_ = 1;
};

// A body's "text" applied; "" is refused naming the field.
Status ApplyText(const JsonBody& body, const Note*, Note* note, std::string* attr) {
  *attr = "text";
  HOGLET_ASSIGN_OR_RETURN(auto text, body.NonBlankString("text", JsonBody::Presence::kOptional));
  if (text) note->text = *text;
  attr->clear();
  return Status::Ok();
}

meta::Project ProjectOf(int64_t id) {
  meta::Project project;
  project.id = id;
  return project;
}

http::Request RequestFor(std::string id, std::string body = "") {
  http::Request request;
  request.path_params = {{"id", std::move(id)}};
  request.body = std::move(body);
  return request;
}

TEST(ResourceCrud, CreatesWithDefaultsAndTheBodyApplied) {
  Notes notes;
  Note defaults;
  defaults.team_id = 2;
  auto created =
      CreateRecord<Note>(notes.resource(), RequestFor("", R"({"text":"hi"})"), defaults, ApplyText);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->status, 201);
  EXPECT_EQ(created->body, "\"hi\"");
  ASSERT_EQ(notes.notes().size(), 1u);
  EXPECT_EQ(notes.notes().begin()->second.team_id, 2);
}

TEST(ResourceCrud, AnswersAFieldErrorNamingItsAttr) {
  Notes notes;
  auto created =
      CreateRecord<Note>(notes.resource(), RequestFor("", R"({"text":""})"), Note{}, ApplyText);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->status, 400);
  EXPECT_THAT(created->body, HasSubstr(R"("attr":"text")"));
  EXPECT_TRUE(notes.notes().empty());
}

TEST(ResourceCrud, StoreErrorsOnWriteGoThroughWriteError) {
  Notes notes;
  notes.resource().write_error = [](const Status&) { return http::Response::Json(409, "{}"); };
  auto created = CreateRecord<Note>(notes.resource(), RequestFor("", R"({"text":"taken"})"), Note{},
                                    ApplyText);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->status, 409);
}

TEST(ResourceCrud, GetsOnlyTheProjectsRecordByPathId) {
  Notes notes;
  notes.notes()[4] = Note{4, 1, 0, false, "mine"};
  auto got = GetRecord(notes.resource(), ProjectOf(1), RequestFor("4"));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->body, "\"mine\"");

  auto other = GetRecord(notes.resource(), ProjectOf(2), RequestFor("4"));
  EXPECT_EQ(other.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(other.status().message(), "no note with id 4 in this project");
  auto malformed = GetRecord(notes.resource(), ProjectOf(1), RequestFor("x"));
  EXPECT_EQ(malformed.status().message(), "no note with id 'x'");
}

TEST(ResourceCrud, UpdatesTheStoredRecord) {
  Notes notes;
  notes.notes()[4] = Note{4, 1, 0, false, "old"};
  auto updated = UpdateRecord<Note>(notes.resource(), ProjectOf(1),
                                    RequestFor("4", R"({"text":"new"})"), ApplyText);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->status, 200);
  EXPECT_EQ(notes.notes()[4].text, "new");
}

TEST(ResourceCrud, SoftDeletesOnceTheCheckAllows) {
  Notes notes;
  notes.notes()[4] = Note{4, 1, 0, false, "kept"};
  auto refused = SoftDeleteRecord(
      notes.resource(), ProjectOf(1), RequestFor("4"),
      [](const Note&, const Note&) { return InvalidArgumentError("in use", "invalid_input"); });
  EXPECT_EQ(refused.status().message(), "in use");
  EXPECT_FALSE(notes.notes()[4].deleted);

  auto deleted = SoftDeleteRecord(notes.resource(), ProjectOf(1), RequestFor("4"),
                                  [](const Note&, const Note& changed) {
                                    EXPECT_TRUE(changed.deleted);
                                    return Status::Ok();
                                  });
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->status, 204);
  EXPECT_EQ(deleted->body, "");
  EXPECT_TRUE(notes.notes()[4].deleted);
  EXPECT_EQ(notes.notes()[4].text, "kept");
}

TEST(ResourceCrud, ListsTheKeptLiveRecordsPaged) {
  Notes notes;
  notes.notes()[1] = Note{1, 1, 0, false, "apple"};
  notes.notes()[2] = Note{2, 1, 0, true, "apricot"};
  notes.notes()[3] = Note{3, 1, 0, false, "banana"};
  notes.notes()[4] = Note{4, 1, 0, false, "avocado"};
  http::Request request = RequestFor("");
  request.query = "limit=1";
  auto listed = ListRecords(
      notes.resource(), ProjectOf(1), request,
      [](const Note& note, const QueryParams&) { return note.text.starts_with("a"); },
      [](const Note& note, JsonWriter* w) { w->String(note.text); });
  ASSERT_TRUE(listed.ok());
  EXPECT_THAT(listed->body, HasSubstr(R"("count":2)"));
  EXPECT_THAT(listed->body, HasSubstr(R"("results":["apple"])"));

  request.query = "limit=0";
  auto refused = ListRecords(
      notes.resource(), ProjectOf(1), request, [](const Note&, const QueryParams&) { return true; },
      [](const Note& note, JsonWriter* w) { w->String(note.text); });
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
}

TEST(ResourceCrud, NewestFirstOrdersByCreationThenId) {
  std::vector<Note> notes = {Note{1, 1, 10, false, ""}, Note{2, 1, 30, false, ""},
                             Note{3, 1, 10, false, ""}};
  auto ordered = NewestFirst(StatusOr<std::vector<Note>>(notes));
  ASSERT_TRUE(ordered.ok());
  EXPECT_EQ((*ordered)[0].id, 2);
  EXPECT_EQ((*ordered)[1].id, 3);
  EXPECT_EQ((*ordered)[2].id, 1);
}

}  // namespace
}  // namespace hoglet::api
