// A CSS selector matched against an autocapture elements chain (elements_chain.h), as PostHog's
// actions and `element` filters use it (analytics §1.7):
//
//   ElementSelector selector = ElementSelector::Parse("div.hero > a.btn[data-attr=\"signup\"]");
//   bool clicked = selector.Matches(ParseElementsChain(chain));
//
// What a selector holds: parts separated by descendant (` `) and child (` > `) combinators; each
// part a tag name or `*`, `.classes`, `#id`, `[attr="value"]` / `[attr='value']` and
// `:nth-child(n)` / `:nth-of-type(n)`. An attribute is the element's HTML attribute
// (`attr__<name>` in the chain), `id` its id, `href` / `text` also the element's own. The
// rightmost part matches any element of the chain — the clicked one or an ancestor, as in PostHog
// — and each part to its left an ancestor of the element the part to its right matched (the
// direct parent after `>`). A selector with syntax this does not read (other pseudo-classes,
// attribute operators such as `^=`, a tag name that is not a tag) matches nothing, as in PostHog.
//
// Immutable after Parse; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "filters/elements_chain.h"

namespace hoglet::filters {

class ElementSelector {
 public:
  static ElementSelector Parse(std::string_view selector);

  bool Matches(const std::vector<ChainElement>& elements) const;

  // Whether the selector uses syntax it cannot read (it then matches nothing).
  bool unsupported() const { return unsupported_; }

 private:
  struct Part {
    std::string tag_name;  // "" or "*": any tag
    std::vector<std::string> classes;
    std::vector<std::pair<std::string, std::string>> attributes;  // as written: "id", "data-x"
    std::string nth_child;
    std::string nth_of_type;
    bool parent_of_previous = false;  // written `this > previous`: the direct parent
  };

  static bool PartMatches(const Part& part, const ChainElement& element);

  std::vector<Part> parts_;  // rightmost first
  bool unsupported_ = false;
};

}  // namespace hoglet::filters
