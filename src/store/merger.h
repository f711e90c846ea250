// Merging parts of one (team, day) into one: a k-way merge of the sources' rows in storage order
// (event_order.h) streamed into a PartWriter, one decoded block per source in memory.
//
// Every row of every source appears exactly once in the output; sources are not modified. The
// merged meta's positions are the per-partition maximum of the sources', and its `replaces`
// lists the source part ids (set by the caller). `stop` is polled between blocks: when it turns
// true the merge returns kUnavailable and the caller discards the unfinished output.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "base/status.h"
#include "store/event_store.h"
#include "store/part_reader.h"
#include "store/part_writer.h"

namespace hoglet::store {

Status MergeParts(const std::vector<std::shared_ptr<const Part>>& sources, PartWriter* writer,
                  const std::atomic<bool>* stop);

// The per-partition maximum of the positions of `sources`.
std::vector<LogPosition> MergedPositions(const std::vector<std::shared_ptr<const Part>>& sources);

}  // namespace hoglet::store
