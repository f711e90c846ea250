#include "api/dashboard_tiles_patch.h"

#include <simdjson.h>

#include <algorithm>
#include <string>
#include <vector>

namespace hoglet::api {
namespace {

using simdjson::dom::element;

// Layouts, color and deleted of `change` onto `*tile`.
Status ApplyDisplayFields(element change, meta::DashboardTileRecord* tile) {
  element value;
  if (change["layouts"].get(value) == simdjson::SUCCESS) {
    if (!value.is_object()) {
      return InvalidArgumentError("a tile's layouts must be an object", "invalid_input");
    }
    tile->layouts_json = simdjson::minify(value);
  }
  if (change["color"].get(value) == simdjson::SUCCESS) {
    if (value.is_null()) {
      tile->color.reset();
    } else if (value.is_string()) {
      tile->color = std::string(value.get_string().value_unsafe());
    } else {
      return InvalidArgumentError("a tile's color must be a string or null", "invalid_input");
    }
  }
  if (change["deleted"].get(value) == simdjson::SUCCESS) {
    bool deleted = false;
    if (value.get(deleted) != simdjson::SUCCESS) {
      return InvalidArgumentError("a tile's deleted must be a boolean", "invalid_input");
    }
    tile->deleted = deleted;
  }
  return Status::Ok();
}

// The body of a text card: 1..kMaxTextTileBytes of text.
StatusOr<std::string> TextBody(element text) {
  std::string_view body;
  if (!text.is_object() || text["body"].get(body) != simdjson::SUCCESS || body.empty()) {
    return InvalidArgumentError("a text tile's text needs a non-empty body", "invalid_input");
  }
  if (body.size() > meta::kMaxTextTileBytes) {
    return InvalidArgumentError(
        "Text body cannot exceed " + std::to_string(meta::kMaxTextTileBytes) + " characters",
        "max_length");
  }
  return std::string(body);
}

bool Changes(element change, const char* key) {
  element value;
  return change[key].get(value) == simdjson::SUCCESS;
}

}  // namespace

Status ApplyTilesPatch(const ApiContext& context, const meta::DashboardRecord& dashboard,
                       const JsonBody& body) {
  HOGLET_ASSIGN_OR_RETURN(auto tiles_json, body.ArrayJson("tiles"));
  if (!tiles_json) return Status::Ok();
  HOGLET_ASSIGN_OR_RETURN(std::vector<meta::DashboardTileRecord> tiles,
                          context.meta->TilesOfDashboard(dashboard.team_id, dashboard.id));
  simdjson::dom::parser parser;
  simdjson::dom::array changes = parser.parse(*tiles_json).get_array().value_unsafe();
  for (element change : changes) {
    if (!change.is_object()) {
      return InvalidArgumentError("each tile must be an object", "invalid_input");
    }
    element text;
    const bool has_text = change["text"].get(text) == simdjson::SUCCESS && !text.is_null();
    int64_t id = 0;
    const bool has_id = change["id"].get(id) == simdjson::SUCCESS;
    if (has_text && !has_id) {
      meta::DashboardTileRecord tile;
      tile.dashboard_id = dashboard.id;
      HOGLET_ASSIGN_OR_RETURN(tile.text, TextBody(text));
      HOGLET_RETURN_IF_ERROR(ApplyDisplayFields(change, &tile));
      tile.deleted = false;
      HOGLET_ASSIGN_OR_RETURN(meta::DashboardTileRecord created,
                              context.meta->CreateDashboardTile(dashboard.team_id, tile));
      tiles.push_back(std::move(created));
      continue;
    }
    if (!has_text && !Changes(change, "layouts") && !Changes(change, "color") &&
        !Changes(change, "deleted")) {
      continue;
    }
    if (!has_id) {
      return InvalidArgumentError("each tile names the id of a tile on this dashboard",
                                  "invalid_input");
    }
    auto tile = std::find_if(tiles.begin(), tiles.end(),
                             [&](const meta::DashboardTileRecord& t) { return t.id == id; });
    if (tile == tiles.end()) {
      return InvalidArgumentError("tile " + std::to_string(id) + " is not on this dashboard",
                                  "invalid_input");
    }
    if (has_text) {
      if (tile->insight_id) {
        return InvalidArgumentError("tile " + std::to_string(id) + " shows an insight, not text",
                                    "invalid_input");
      }
      HOGLET_ASSIGN_OR_RETURN(tile->text, TextBody(text));
    }
    HOGLET_RETURN_IF_ERROR(ApplyDisplayFields(change, &*tile));
    HOGLET_RETURN_IF_ERROR(context.meta->UpdateDashboardTile(dashboard.team_id, *tile).status());
  }
  return Status::Ok();
}

}  // namespace hoglet::api
