// PostHog's FunnelCorrelationQuery (analytics §3.3) as a typed value, parsed once from its JSON
// (query/funnel_correlation_parser.h): which events, event properties or person properties
// go with the actors of a funnel who convert (reach its last step) or who do not.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "query/funnels_query.h"

namespace hoglet::query {

// What is correlated (funnelCorrelationType).
enum class CorrelationType {
  kEvents,               // the names of the actors' other events
  kProperties,           // the actors' (persons') current properties
  kEventWithProperties,  // the properties of the actors' events of the named events
};

struct FunnelCorrelationQuery {
  FunnelsQuery funnel;  // source.source
  // source.funnelStep: which of the funnel's actors are read, as a FunnelsActorsQuery lists them
  // (1-based; −k the drop-offs before step k). 1, everyone who entered, when absent.
  int64_t funnel_step = 1;
  CorrelationType type = CorrelationType::kEvents;
  // kProperties: the person properties to read ("$all": every one); those in exclude_names are
  // left out.
  std::vector<std::string> names;
  std::vector<std::string> exclude_names;
  // kEventWithProperties: the events whose properties are read, and the property keys left out.
  std::vector<std::string> event_names;
  std::vector<std::string> event_exclude_property_names;
  // kEvents: event names left out (besides the funnel's own steps).
  std::vector<std::string> exclude_event_names;
};

}  // namespace hoglet::query
