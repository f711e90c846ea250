#include "filters/element_selector.h"

#include <algorithm>
#include <array>
#include <cstddef>

namespace hoglet::filters {
namespace {

// Pseudo-classes a class name can end with (`btn:hover`); a selector with one matches nothing.
constexpr std::array<std::string_view, 23> kPseudoClasses = {
    "active",   "after",       "before",        "checked",      "disabled",      "empty",
    "enabled",  "first-child", "first-of-type", "focus",        "focus-visible", "focus-within",
    "hover",    "invalid",     "last-child",    "last-of-type", "only-child",    "optional",
    "required", "root",        "target",        "valid",        "visited"};

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool ValidTagName(std::string_view tag) {
  if (tag == "*") return true;
  if (tag.empty() || !IsAlpha(tag[0])) return false;
  return std::all_of(tag.begin(), tag.end(),
                     [](char c) { return IsAlpha(c) || IsDigit(c) || c == '-'; });
}

bool ValidAttributeKey(std::string_view key) {
  if (key.empty() || !(IsAlpha(key[0]) || key[0] == '_' || key[0] == ':')) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return IsAlpha(c) || IsDigit(c) || c == '_' || c == ':' || c == '.' || c == '-';
  });
}

bool EndsWithPseudoClass(std::string_view class_name) {
  const size_t colon = class_name.rfind(':');
  if (colon == std::string_view::npos) return false;
  return std::find(kPseudoClasses.begin(), kPseudoClasses.end(), class_name.substr(colon + 1)) !=
         kPseudoClasses.end();
}

void ReplaceAll(std::string* text, std::string_view from, std::string_view to) {
  for (size_t at = text->find(from); at != std::string::npos; at = text->find(from, at)) {
    text->replace(at, from.size(), to);
    at += to.size();
  }
}

// The selector's parts as written, split at spaces outside brackets and quotes.
std::vector<std::string> Tokens(std::string_view selector) {
  std::vector<std::string> tokens(1);
  bool in_brackets = false;
  char quote = 0;
  for (char c : selector) {
    if (c == '[' && quote == 0) in_brackets = true;
    if (c == ']' && quote == 0) in_brackets = false;
    if (c == '"' || c == '\'') {
      if (quote == 0) {
        quote = c;
      } else if (quote == c) {
        quote = 0;
      }
    }
    if (c == ' ' && !in_brackets) {
      tokens.emplace_back();
    } else {
      tokens.back().push_back(c);
    }
  }
  return tokens;
}

// Reads `[key = "value"]` at `text[at]` == '['; the index after it, or npos when it is not one.
size_t ReadAttribute(std::string_view text, size_t at, std::string* key, std::string* value) {
  size_t i = at + 1;
  while (i < text.size() && IsSpace(text[i])) ++i;
  const size_t key_start = i;
  while (i < text.size() && !IsSpace(text[i]) && text[i] != '=' && text[i] != ']') ++i;
  if (i == key_start) return std::string_view::npos;
  *key = std::string(text.substr(key_start, i - key_start));
  while (i < text.size() && IsSpace(text[i])) ++i;
  if (i >= text.size() || text[i] != '=') return std::string_view::npos;
  ++i;
  while (i < text.size() && IsSpace(text[i])) ++i;
  if (i >= text.size() || (text[i] != '"' && text[i] != '\'')) return std::string_view::npos;
  const char quote = text[i++];
  const size_t close = text.find(quote, i);
  if (close == std::string_view::npos) return std::string_view::npos;
  *value = std::string(text.substr(i, close - i));
  i = close + 1;
  while (i < text.size() && IsSpace(text[i])) ++i;
  if (i >= text.size() || text[i] != ']') return std::string_view::npos;
  return i + 1;
}

// Reads `:nth-child(n)` / `:nth-of-type(n)` at `text[at]` == ':'; the index after it, or npos.
size_t ReadPosition(std::string_view text, size_t at, std::string* name, std::string* position) {
  for (std::string_view pseudo : {std::string_view("nth-child"), std::string_view("nth-of-type")}) {
    if (text.substr(at + 1, pseudo.size() + 1) != std::string(pseudo) + "(") continue;
    size_t i = at + 1 + pseudo.size() + 1;
    const size_t digits = i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    if (i == digits || i >= text.size() || text[i] != ')') return std::string_view::npos;
    *name = std::string(pseudo);
    *position = std::string(text.substr(digits, i - digits));
    return i + 1;
  }
  return std::string_view::npos;
}

// Splits at the dots outside brackets (Tailwind's `shadow-[0_4px_rgba(0,0,0,0.1)]` is one class).
std::vector<std::string> SplitClasses(std::string_view text) {
  std::vector<std::string> pieces(1);
  int depth = 0;
  for (char c : text) {
    if (c == '[') ++depth;
    if (c == ']' && depth > 0) --depth;
    if (c == '.' && depth == 0) {
      pieces.emplace_back();
    } else {
      pieces.back().push_back(c);
    }
  }
  return pieces;
}

}  // namespace

ElementSelector ElementSelector::Parse(std::string_view selector) {
  ElementSelector parsed;
  std::string text(selector);
  ReplaceAll(&text, "> * > ", "");
  ReplaceAll(&text, "> *", "");
  ReplaceAll(&text, "\\:", ":");
  const size_t first = text.find_first_not_of(" \t\n\r");
  const size_t last = text.find_last_not_of(" \t\n\r");
  text = first == std::string::npos ? std::string() : text.substr(first, last - first + 1);

  std::vector<std::string> tokens = Tokens(text);
  std::reverse(tokens.begin(), tokens.end());
  for (size_t index = 0; index < tokens.size(); ++index) {
    const std::string& token = tokens[index];
    if (token == ">" || token.empty()) continue;
    Part part;
    part.parent_of_previous = index > 0 && tokens[index - 1] == ">";
    // Attribute selectors and positions come out first; what remains is tag, classes and id.
    std::string rest;
    for (size_t i = 0; i < token.size();) {
      std::string key;
      std::string value;
      size_t next = std::string::npos;
      if (token[i] == '[') {
        next = ReadAttribute(token, i, &key, &value);
        if (next != std::string::npos) {
          part.attributes.emplace_back(key == "id" ? "attr_id" : key, value);
          if (!ValidAttributeKey(key)) parsed.unsupported_ = true;
        }
      } else if (token[i] == ':') {
        next = ReadPosition(token, i, &key, &value);
        if (next != std::string::npos)
          (key == "nth-child" ? part.nth_child : part.nth_of_type) = value;
      }
      if (next == std::string::npos) {
        rest.push_back(token[i++]);
      } else {
        i = next;
      }
    }
    std::vector<std::string> pieces = SplitClasses(rest);
    for (size_t i = 1; i < pieces.size(); ++i) {
      if (EndsWithPseudoClass(pieces[i])) parsed.unsupported_ = true;
      part.classes.push_back(std::move(pieces[i]));
    }
    std::string tag = std::move(pieces[0]);
    if (const size_t hash = tag.find('#'); hash != std::string::npos) {
      const size_t end = tag.find('#', hash + 1);
      part.attributes.emplace_back(
          "attr_id", tag.substr(hash + 1, end == std::string::npos ? end : end - hash - 1));
      tag.resize(hash);
    }
    if (!tag.empty() && !ValidTagName(tag)) parsed.unsupported_ = true;
    part.tag_name = std::move(tag);
    parsed.parts_.push_back(std::move(part));
  }
  return parsed;
}

bool ElementSelector::PartMatches(const Part& part, const ChainElement& element) {
  if (!part.tag_name.empty() && part.tag_name != "*" && part.tag_name != element.tag_name) {
    return false;
  }
  for (const std::string& name : part.classes) {
    if (std::find(element.classes.begin(), element.classes.end(), name) == element.classes.end()) {
      return false;
    }
  }
  for (const auto& [key, value] : part.attributes) {
    bool found = false;
    if (key == "attr_id") {
      found = element.attr_id == value;
    } else {
      const std::string* own = element.Attribute("attr__" + key);
      found = (own != nullptr && *own == value) || (key == "href" && element.href == value) ||
              (key == "text" && element.text == value);
    }
    if (!found) return false;
  }
  if (!part.nth_child.empty() && part.nth_child != element.nth_child) return false;
  if (!part.nth_of_type.empty() && part.nth_of_type != element.nth_of_type) return false;
  return true;
}

bool ElementSelector::Matches(const std::vector<ChainElement>& elements) const {
  if (unsupported_) return false;
  if (parts_.empty()) return true;
  // reached[i]: the previous parts match with the previous one at element i.
  std::vector<char> reached(elements.size(), 0);
  for (size_t i = 0; i < elements.size(); ++i) reached[i] = PartMatches(parts_[0], elements[i]);
  for (size_t k = 1; k < parts_.size(); ++k) {
    std::vector<char> next(elements.size(), 0);
    bool any_before = false;
    for (size_t i = 0; i < elements.size(); ++i) {
      const bool placed = parts_[k].parent_of_previous ? i > 0 && reached[i - 1] : any_before;
      if (placed) next[i] = PartMatches(parts_[k], elements[i]);
      any_before = any_before || reached[i];
    }
    reached = std::move(next);
  }
  return std::any_of(reached.begin(), reached.end(), [](char r) { return r != 0; });
}

}  // namespace hoglet::filters
