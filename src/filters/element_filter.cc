#include "filters/element_filter.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "filters/element_selector.h"
#include "filters/elements_chain.h"

namespace hoglet::filters {
namespace {

Status Refuse(const PropertyFilter& filter, const std::string& what) {
  return InvalidArgumentError("the element filter on '" + filter.key + "' " + what,
                              "invalid_property_filter");
}

// The filter's values as texts: the items of a list, or the one value.
std::vector<std::string> ValueTexts(const PropertyFilter& filter, bool* all_strings) {
  std::vector<std::string> texts;
  *all_strings = true;
  auto add = [&](const PropertyValue& value) {
    if (value.kind != PropertyValue::Kind::kString) *all_strings = false;
    texts.push_back(value.text);
  };
  if (filter.value.kind == PropertyValue::Kind::kArray) {
    for (const PropertyValue& item : filter.value_items) add(item);
  } else {
    add(filter.value);
  }
  return texts;
}

// Whether `text` is the filter's value or one of its list's items (read in place: this runs for
// every event a query meets).
bool IsOneOfTheValues(const PropertyFilter& filter, std::string_view text) {
  if (filter.value.kind != PropertyValue::Kind::kArray) return filter.value.text == text;
  return std::any_of(filter.value_items.begin(), filter.value_items.end(),
                     [&](const PropertyValue& item) { return item.text == text; });
}

bool IsStructural(const PropertyFilter& filter) {
  return filter.key == "selector" || filter.key == "tag_name";
}

}  // namespace

Status PrepareElementFilter(PropertyFilter* filter, bool strict) {
  const bool known = IsStructural(*filter) || filter->key == "text" || filter->key == "href";
  if (!known) {
    if (strict) return Refuse(*filter, "must have the key selector, tag_name, text or href");
    return Status::Ok();
  }
  if (!IsStructural(*filter)) return Status::Ok();
  if (filter->op != Operator::kExact && filter->op != Operator::kIsNot) {
    if (strict) {
      return Refuse(*filter, "supports only the operators exact and is_not, not '" +
                                 filter->operator_name + "'");
    }
    return Status::Ok();
  }
  bool all_strings = true;
  std::vector<std::string> values = ValueTexts(*filter, &all_strings);
  if (!all_strings && strict) return Refuse(*filter, "takes a string or a list of strings");
  if (filter->key == "selector") {
    auto selectors = std::make_shared<std::vector<ElementSelector>>();
    for (const std::string& value : values) selectors->push_back(ElementSelector::Parse(value));
    filter->selectors = std::move(selectors);
  }
  return Status::Ok();
}

bool MatchElementFilter(const PropertyFilter& filter, std::string_view elements_chain,
                        const MatchContext& context) {
  if (filter.key == "href") {
    const std::string_view href = ElementsChainHref(elements_chain);
    const PropertyValueRef value(PropertyValue::Kind::kString, false, 0, href);
    return MatchValue(filter, href.empty() ? nullptr : &value, context);
  }
  if (filter.key == "text") {
    for (std::string_view text : ElementsChainTexts(elements_chain)) {
      const PropertyValueRef value(PropertyValue::Kind::kString, false, 0, text);
      if (MatchValue(filter, &value, context)) return true;
    }
    return false;
  }
  if (!IsStructural(filter) || (filter.op != Operator::kExact && filter.op != Operator::kIsNot)) {
    return false;
  }
  const std::vector<ChainElement> elements = ParseElementsChain(elements_chain);
  bool any = false;
  if (filter.key == "selector") {
    if (filter.selectors == nullptr) return false;
    any = std::any_of(filter.selectors->begin(), filter.selectors->end(),
                      [&](const ElementSelector& selector) { return selector.Matches(elements); });
  } else {
    any = std::any_of(elements.begin(), elements.end(), [&](const ChainElement& element) {
      return IsOneOfTheValues(filter, element.tag_name);
    });
  }
  return filter.op == Operator::kIsNot ? !any : any;
}

}  // namespace hoglet::filters
