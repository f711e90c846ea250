// Groups as the actors of a query (aggregation_group_type_index, unique_group): a group counts
// as a UUID derived from its type and key, numbered like persons (query/actor_numbers.h). Every
// scan that counts groups finds its rows' groups through NumberRowGroups.
//
// Example:
//   std::vector<Uuid> groups;
//   std::vector<uint32_t> numbers;
//   HOGLET_RETURN_IF_ERROR(
//       NumberRowGroups(&event_rows, 0, &actors.groups, &rows, &groups, &numbers));
//
// Thread-safe as its arguments are.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "query/actor_numbers.h"
#include "query/event_rows.h"
#include "store/block_reader.h"

namespace hoglet::query {

// The actor a group counts as in actor maths: a UUID derived from its type and key.
Uuid GroupActor(int group_type_index, std::string_view key);

// The groups of type `index` the selected rows of `event_rows` count for, and their numbers in
// `numbering`, one per row into `groups` and `numbers` (resized; unselected rows' entries are
// meaningless). A row whose event has no such group is unselected: it counts for no actor. When
// `keys` is given, it gets each selected row's group key.
Status NumberRowGroups(EventRows* event_rows, int index, ActorNumbers* numbering,
                       store::RowSelection* rows, std::vector<Uuid>* groups,
                       std::vector<uint32_t>* numbers, std::vector<std::string>* keys = nullptr);

}  // namespace hoglet::query
