// A person as PostHog's persons API and actors queries show it: {id, uuid, name, distinct_ids,
// properties, is_identified, created_at}; the name is the email, name or username property
// when set, else the first distinct id.
//
// Not thread-safe: `parser` is used by the calling thread.
#pragma once

#include "base/json_writer.h"
#include "persons/person.h"
#include "store/properties_parser.h"

namespace hoglet::api {

void WritePerson(const persons::Person& person, store::PropertiesParser& parser, JsonWriter* w);

}  // namespace hoglet::api
