// PATCH …/dashboards/{id}/ `tiles`: the changes PostHog's clients send for tiles, applied in
// order (DashboardSerializer._update_tiles):
//
//   {"id": 7, "layouts": {"sm": {"x", "y", "w", "h"}, "xs": {...}}}   a tile moved or resized
//   {"id": 7, "color": "blue"} / {"id": 7, "deleted": true}            restyled / taken off
//   {"text": {"body": "Notes"}, "layouts"?: {...}}                      a new text tile
//   {"id": 7, "text": {"id": 7, "body": "New"}}                        a text tile edited
//
// An entry with none of text, layouts, color and deleted changes nothing (as in PostHog); an
// insight tile's insight never changes here. kInvalidArgument (the caller answers 400 naming
// `tiles`) for an entry that is not an object, an id that is not a tile of this dashboard, a
// text on an insight tile, a text body that is empty or over meta::kMaxTextTileBytes, layouts
// that are not an object, a color that is neither a string nor null. Entries before the faulty
// one stay applied.
#pragma once

#include "api/api_context.h"
#include "api/json_body.h"
#include "base/status.h"
#include "meta/meta_store.h"

namespace hoglet::api {

Status ApplyTilesPatch(const ApiContext& context, const meta::DashboardRecord& dashboard,
                       const JsonBody& body);

}  // namespace hoglet::api
