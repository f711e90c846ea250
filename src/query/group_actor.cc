#include "query/group_actor.h"

#include <algorithm>
#include <array>
#include <utility>

#include "base/sha256.h"

namespace hoglet::query {

Uuid GroupActor(int group_type_index, std::string_view key) {
  std::string text = std::to_string(group_type_index);
  text += '\0';
  text += key;
  std::array<uint8_t, 32> digest = Sha256(text);
  Uuid actor;
  std::copy_n(digest.begin(), actor.bytes.size(), actor.bytes.begin());
  return actor;
}

Status NumberRowGroups(EventRows* event_rows, int index, ActorNumbers* numbering,
                       store::RowSelection* rows, std::vector<Uuid>* groups,
                       std::vector<uint32_t>* numbers, std::vector<std::string>* keys) {
  groups->assign(rows->size(), Uuid());
  if (keys != nullptr) keys->assign(rows->size(), std::string());
  for (size_t row = 0; row < rows->size(); ++row) {
    if (!(*rows)[row]) continue;
    HOGLET_ASSIGN_OR_RETURN(std::string key, event_rows->GroupKeyOf(index, row));
    if (key.empty()) {
      (*rows)[row] = 0;
      continue;
    }
    (*groups)[row] = GroupActor(index, key);
    if (keys != nullptr) (*keys)[row] = std::move(key);
  }
  numbers->resize(rows->size());
  return numbering->Number(groups->data(), groups->size(), numbers->data());
}

}  // namespace hoglet::query
