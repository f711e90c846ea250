// What the scans of one query share to number the actors they count (query/actor_numbers.h): the
// persons' numbers when the query runs without overrides, and its groups'. Threads scanning apart
// number through the same object, so an actor has one number in the whole query: it counts once,
// and falls in one share of a per-actor insight (query/actor_passes.h) whichever thread meets it.
//
// Thread-safe, as ActorNumbers is.
#pragma once

#include "query/actor_numbers.h"
#include "query/event_persons.h"

namespace hoglet::query {

struct QueryActors {
  PersonOverrides no_overrides;  // numbers the persons when the context has no overrides
  ActorNumbers groups;           // the groups the query counts
};

}  // namespace hoglet::query
