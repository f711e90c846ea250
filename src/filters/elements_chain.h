// The autocapture elements chain (analytics §1.7, §2.9): the clicked element and its ancestors
// as one string, the clicked element first, elements separated by `;`:
//
//   a.btn.primary:attr__href="/signup"href="/signup"nth-child="2"nth-of-type="1"text="Sign
//   up";div:…
//
// Each element is its tag name, its classes (`.`-separated, sorted), then after a `:` its
// attributes as `key="value"` (sorted by key; `"` inside a value written `\"`): `text`, `href`,
// `attr_id`, `nth-child`, `nth-of-type`, and the element's HTML attributes as `attr__<name>`.
// posthog-js sends it as the `$elements_chain` event property.
//
// Pure and thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hoglet::filters {

struct ChainElement {
  std::string tag_name;
  std::vector<std::string> classes;
  std::string text;
  std::string href;
  std::string attr_id;
  std::string nth_child;
  std::string nth_of_type;
  // The other attributes as written, e.g. {"attr__data-attr", "signup"}.
  std::vector<std::pair<std::string, std::string>> attributes;

  // The value of attribute `key` ("attr__data-attr"), nullptr when the element has none.
  const std::string* Attribute(std::string_view key) const;
};

// At most this many elements are read from one chain; the rest are ignored.
inline constexpr size_t kMaxChainElements = 1000;

// The elements of `chain`, the clicked element first. Malformed pieces are read as far as they
// go (a chain is client data): a missing closing quote ends the value at the end of the element.
std::vector<ChainElement> ParseElementsChain(std::string_view chain);

// The chain's first `href="…"` (not `attr__href`), as PostHog's `elements_chain_href` column
// extracts it: the text up to the next `"`, escapes kept. "" when there is none.
std::string_view ElementsChainHref(std::string_view chain);

// The distinct `text="…"` values of the chain, in order, as PostHog's `elements_chain_texts`
// column extracts them.
std::vector<std::string_view> ElementsChainTexts(std::string_view chain);

}  // namespace hoglet::filters
