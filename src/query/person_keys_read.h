// Which person properties a trends query reads: the keys of its person filters (series, global
// and test-account filters) and of its person breakdowns. A run that knows them may read just
// those of each person (api/query_persons.h), which is most of what a person-property
// breakdown costs. Nothing is known (nullopt) when the query may read person properties another
// way: cohort or HogQL filters, HogQL, cohort or histogram breakdowns, the HogQL math, actions
// (their steps' filters are stored elsewhere).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "filters/filter_tree.h"
#include "query/trends_query.h"

namespace hoglet::query {

// The keys, sorted and each once; nullopt when they are not known (see above).
std::optional<std::vector<std::string>> PersonKeysRead(const TrendsQuery& query,
                                                       const filters::FilterNode& test_accounts);

}  // namespace hoglet::query
