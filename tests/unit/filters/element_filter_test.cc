// The autocapture elements chain, CSS selectors over it and element filters (analytics §1.7).
#include "filters/element_filter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "filters/element_selector.h"
#include "filters/elements_chain.h"

namespace hoglet::filters {
namespace {

// A click on a span inside a link inside a hero section, as posthog-js writes the chain.
constexpr std::string_view kChain =
    R"(span.label:nth-child="1"nth-of-type="1"text="Say \"hi\"";)"
    R"(a.btn.hover:bg-blue:attr__data-attr="signup"attr__href="/signup"href="/signup"nth-child="2"nth-of-type="1";)"
    R"(div.hero:attr__style="display: flex; gap: 4px"attr_id="top"nth-child="1"nth-of-type="1";body)";

TEST(ElementsChain, ParsesTagsClassesAndAttributes) {
  std::vector<ChainElement> elements = ParseElementsChain(kChain);
  ASSERT_EQ(elements.size(), 4u);
  EXPECT_EQ(elements[0].tag_name, "span");
  EXPECT_EQ(elements[0].text, "Say \"hi\"");
  EXPECT_EQ(elements[1].tag_name, "a");
  EXPECT_EQ(elements[1].classes, (std::vector<std::string>{"btn", "hover:bg-blue"}));
  EXPECT_EQ(elements[1].href, "/signup");
  EXPECT_EQ(elements[1].nth_child, "2");
  ASSERT_NE(elements[1].Attribute("attr__data-attr"), nullptr);
  EXPECT_EQ(*elements[1].Attribute("attr__data-attr"), "signup");
  // A ';' inside a quoted value does not end the element.
  EXPECT_EQ(elements[2].attr_id, "top");
  ASSERT_NE(elements[2].Attribute("attr__style"), nullptr);
  EXPECT_EQ(*elements[2].Attribute("attr__style"), "display: flex; gap: 4px");
  EXPECT_EQ(elements[3].tag_name, "body");
  EXPECT_TRUE(ParseElementsChain("").empty());
  EXPECT_EQ(ParseElementsChain(R"(a:text="unclosed)")[0].text, "unclosed");
}

TEST(ElementsChain, ExtractsHrefAndTextsAsClickHouseColumnsDo) {
  EXPECT_EQ(ElementsChainHref(kChain), "/signup");  // not attr__href, the first href
  EXPECT_EQ(ElementsChainHref("a:nth-child=\"1\""), "");
  // The extraction stops at the first quote, escaped or not, as PostHog's column does.
  EXPECT_EQ(ElementsChainTexts(kChain), (std::vector<std::string_view>{"Say \\"}));
  EXPECT_EQ(ElementsChainTexts(R"(a:text="x";b:text="y";c:text="x")"),
            (std::vector<std::string_view>{"x", "y"}));
}

bool Selects(std::string_view selector, std::string_view chain = kChain) {
  return ElementSelector::Parse(selector).Matches(ParseElementsChain(chain));
}

TEST(ElementSelector, MatchesTheClickedElementOrAnAncestor) {
  EXPECT_TRUE(Selects("span"));
  EXPECT_TRUE(Selects("a.btn"));  // an ancestor of the clicked span
  EXPECT_TRUE(Selects("div.hero a"));
  EXPECT_TRUE(Selects("div.hero > a.btn > span.label"));
  EXPECT_TRUE(Selects("body span"));
  EXPECT_FALSE(Selects("body > span"));  // not the direct parent
  EXPECT_FALSE(Selects("a div"));        // the order of ancestors counts
  EXPECT_TRUE(Selects("#top"));
  EXPECT_TRUE(Selects("div#top.hero"));
  EXPECT_TRUE(Selects("[id='top']"));
  EXPECT_TRUE(Selects("a[data-attr=\"signup\"]"));
  EXPECT_TRUE(Selects("a[href='/signup']:nth-child(2)"));
  EXPECT_FALSE(Selects("a:nth-child(1)"));
  EXPECT_TRUE(Selects("* > a"));
  EXPECT_TRUE(Selects("a.hover:bg-blue"));  // a Tailwind class with a colon
  EXPECT_FALSE(Selects("a.missing"));
  EXPECT_FALSE(Selects("button"));
}

TEST(ElementSelector, UnreadableSyntaxMatchesNothing) {
  for (const char* selector : {"a.btn:hover", "a[href^='/s']", "a:first-child", "div>a", "1a"}) {
    ElementSelector parsed = ElementSelector::Parse(selector);
    EXPECT_TRUE(parsed.unsupported()) << selector;
    EXPECT_FALSE(parsed.Matches(ParseElementsChain(kChain))) << selector;
  }
}

bool Holds(const std::string& json, std::string_view chain = kChain) {
  StatusOr<PropertyFilter> filter = ParsePropertyFilter(json, {.strict = true});
  EXPECT_TRUE(filter.ok()) << json << ": " << filter.status().ToString();
  if (!filter.ok()) return false;
  MatchContext context;
  context.dialect = Dialect::kHogQL;
  return MatchElementFilter(*filter, chain, context);
}

TEST(ElementFilter, SelectorTagHrefAndText) {
  EXPECT_TRUE(Holds(R"({"type": "element", "key": "selector", "value": "div > a"})"));
  EXPECT_FALSE(Holds(R"({"type": "element", "key": "selector", "value": "div > a",
                         "operator": "is_not"})"));
  EXPECT_TRUE(Holds(R"({"type": "element", "key": "selector", "value": ["nav", "a.btn"]})"));
  EXPECT_TRUE(Holds(R"({"type": "element", "key": "tag_name", "value": "div"})"));
  EXPECT_FALSE(Holds(R"({"type": "element", "key": "tag_name", "value": "nav"})"));
  EXPECT_TRUE(Holds(R"({"type": "element", "key": "href", "value": "/signup"})"));
  EXPECT_TRUE(Holds(R"({"type": "element", "key": "href", "value": "SIGN",
                        "operator": "icontains"})"));
  EXPECT_TRUE(Holds(R"({"type": "element", "key": "text", "value": "^Say",
                        "operator": "regex"})"));
  EXPECT_FALSE(Holds(R"({"type": "element", "key": "text", "value": "Say"})"));
  EXPECT_FALSE(Holds(R"({"type": "element", "key": "text", "value": "x"})", ""));
  EXPECT_TRUE(
      Holds(R"({"type": "element", "key": "href", "value": "x", "operator": "is_not"})", ""));
}

TEST(ElementFilter, RefusesWhatPostHogRefuses) {
  for (const char* json :
       {R"({"type": "element", "key": "selector", "value": "a", "operator": "icontains"})",
        R"({"type": "element", "key": "tag_name", "value": 5})",
        R"({"type": "element", "key": "id", "value": "x"})"}) {
    StatusOr<PropertyFilter> filter = ParsePropertyFilter(json, {.strict = true});
    ASSERT_FALSE(filter.ok()) << json;
    EXPECT_NE(filter.status().message().find("element filter"), std::string::npos)
        << filter.status().message();
  }
}

}  // namespace
}  // namespace hoglet::filters
