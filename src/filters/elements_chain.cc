#include "filters/elements_chain.h"

#include <algorithm>

namespace hoglet::filters {
namespace {

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// Where the attributes start: the first ':' followed by a key and '=' (a class may hold a colon,
// as Tailwind's hover:bg-blue does). npos when the element has no attributes.
size_t AttributesColon(std::string_view element) {
  for (size_t colon = element.find(':'); colon != std::string_view::npos;
       colon = element.find(':', colon + 1)) {
    size_t end = colon + 1;
    while (end < element.size() && IsKeyChar(element[end])) ++end;
    if (end < element.size() && element[end] == '=') return colon;
  }
  return std::string_view::npos;
}

// The end of the quoted value starting after an opening quote at `from`: the next '"' that no
// backslash escapes, or the end of `text`.
size_t ClosingQuote(std::string_view text, size_t from) {
  for (size_t i = from; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i;
    }
  }
  return text.size();
}

std::string Unescaped(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size() && value[i + 1] == '"') ++i;
    out.push_back(value[i]);
  }
  return out;
}

void SetAttribute(std::string key, std::string value, ChainElement* element) {
  if (key == "text") {
    element->text = std::move(value);
  } else if (key == "href") {
    element->href = std::move(value);
  } else if (key == "attr_id") {
    element->attr_id = std::move(value);
  } else if (key == "nth-child") {
    element->nth_child = std::move(value);
  } else if (key == "nth-of-type") {
    element->nth_of_type = std::move(value);
  } else if (!key.empty()) {
    element->attributes.emplace_back(std::move(key), std::move(value));
  }
}

ChainElement ParseElement(std::string_view text) {
  ChainElement element;
  const size_t colon = AttributesColon(text);
  std::string_view head = text.substr(0, colon);
  size_t dot = head.find('.');
  element.tag_name = std::string(head.substr(0, dot));
  while (dot != std::string_view::npos) {
    const size_t next = head.find('.', dot + 1);
    std::string_view name =
        head.substr(dot + 1, next == std::string_view::npos ? next : next - dot - 1);
    if (!name.empty()) element.classes.emplace_back(name);
    dot = next;
  }
  if (colon == std::string_view::npos) return element;
  std::string_view rest = text.substr(colon + 1);
  while (!rest.empty()) {
    const size_t equals = rest.find("=\"");
    if (equals == std::string_view::npos) break;
    const size_t close = ClosingQuote(rest, equals + 2);
    SetAttribute(std::string(rest.substr(0, equals)),
                 Unescaped(rest.substr(equals + 2, close - equals - 2)), &element);
    rest = close < rest.size() ? rest.substr(close + 1) : std::string_view();
  }
  return element;
}

// Every value of `key="…"` whose key starts the attributes or follows a closing quote (so
// `attr__href` is not `href`), up to the next '"', as ClickHouse's extract with
// (?::|")key="(.*?)" reads it. `fn` returns false to stop.
template <typename Fn>
void ForEachExtracted(std::string_view chain, std::string_view key, const Fn& fn) {
  const std::string needle = std::string(key) + "=\"";
  for (size_t at = chain.find(needle); at != std::string_view::npos;
       at = chain.find(needle, at + 1)) {
    if (at == 0 || (chain[at - 1] != ':' && chain[at - 1] != '"')) continue;
    const size_t start = at + needle.size();
    const size_t end = chain.find('"', start);
    if (end == std::string_view::npos) return;
    if (!fn(chain.substr(start, end - start))) return;
  }
}

}  // namespace

const std::string* ChainElement::Attribute(std::string_view key) const {
  for (const auto& [name, value] : attributes) {
    if (name == key) return &value;
  }
  return nullptr;
}

std::vector<ChainElement> ParseElementsChain(std::string_view chain) {
  std::vector<ChainElement> elements;
  size_t start = 0;
  bool quoted = false;
  for (size_t i = 0; i <= chain.size() && elements.size() < kMaxChainElements; ++i) {
    if (i < chain.size()) {
      if (quoted && chain[i] == '\\') {
        ++i;
        continue;
      }
      if (chain[i] == '"') quoted = !quoted;
      if (quoted || chain[i] != ';') continue;
    }
    if (i > start) elements.push_back(ParseElement(chain.substr(start, i - start)));
    start = i + 1;
  }
  return elements;
}

std::string_view ElementsChainHref(std::string_view chain) {
  std::string_view href;
  ForEachExtracted(chain, "href", [&](std::string_view value) {
    href = value;
    return false;
  });
  return href;
}

std::vector<std::string_view> ElementsChainTexts(std::string_view chain) {
  std::vector<std::string_view> texts;
  ForEachExtracted(chain, "text", [&](std::string_view value) {
    if (std::find(texts.begin(), texts.end(), value) == texts.end()) texts.push_back(value);
    return true;
  });
  return texts;
}

}  // namespace hoglet::filters
