#include "persons/person_uuid.h"

#include <string>

namespace hoglet::persons {

const Uuid& PersonUuidNamespace() {
  static const Uuid ns = *Uuid::Parse("932979b4-65c3-4424-8467-0b66ec27bc22");
  return ns;
}

Uuid DeterministicPersonId(int64_t team_id, std::string_view distinct_id) {
  std::string name = std::to_string(team_id);
  name.push_back(':');
  name.append(distinct_id);
  return Uuid::V5(PersonUuidNamespace(), name);
}

}  // namespace hoglet::persons
