// Passes over the actors of a per-actor insight (funnels, retention, paths): such an insight keeps
// the events it reads until it has them all, then takes them by actor (query/actor_events.h) in
// time order and runs each actor's state. When the events of a range do not fit in the bound the
// insight sets, its actors are split into shares by a hash of the actor's number, and each share
// is one pass: a scan of every part that keeps only the events of the share's actors, run before
// the next pass starts.
// An actor's events are thus all in one pass, and the answer is the one a single pass gives; the
// memory is that of the largest share, the time that of one scan per share.
//
// The first pass takes every actor. When it passes the bound, the number of shares is estimated
// from how far the scan got (the events kept per row read, over the rows of the snapshot's
// parts); a share that passes the bound again is split in two (hash % 2c is i or i + c) and read
// again. Past kMaxActorShares shares the insight is refused.
//
// Example (funnels_runner.cc):
//   FunnelScan scan(query, range, context, run_actor);
//   HOGLET_RETURN_IF_ERROR(RunActorPasses(snapshot, EventsIn<KeptEvent>(context.actor_pass_bytes),
//                                         "funnel", context.budget, &scan));
//
// A pass runs its shares one after another on one thread; several passes may run on threads of
// their own, each over its own shares. Passes that read apart (ActorPass::reads_apart) split the
// reading instead: each pass reads its own blocks and keeps the actors' events apart by keeper;
// then pass i runs keeper i's actors from the events of all. A block is thus read once, whatever
// the number of threads; rounds over fewer actors each take the place of shares.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "query/actor_events.h"
#include "query/query_budget.h"
#include "store/block_reader.h"
#include "store/scan_source.h"

namespace hoglet::query {

// The memory a per-actor insight keeps its events in at once, unless its context says otherwise
// (TrendsContext::actor_pass_bytes): about 10 M funnel or retention events.
inline constexpr size_t kActorPassBytes = size_t{512} << 20;

// The events of type Event that `bytes` hold while they are kept (ActorEvents::kBytesPerEvent);
// at least one.
template <typename Event>
size_t EventsIn(size_t bytes) {
  return std::max<size_t>(1, bytes / ActorEvents<Event>::kBytesPerEvent);
}

// A query over more than this many shares (of the per-pass bound in events each) is refused.
inline constexpr uint32_t kMaxActorShares = 1024;

// The actors whose number's hash modulo `count` is `index` (numbers: query/actor_numbers.h).
struct ActorShare {
  uint32_t count = 1;
  uint32_t index = 0;

  bool Holds(uint32_t number) const { return count == 1 || NumberHash(number) % count == index; }

  // With this share's actors kept apart in `keepers` keepers: the keeper of `number`'s events.
  uint32_t KeeperOf(uint32_t number, size_t keepers) const {
    if (keepers <= 1) return 0;
    return static_cast<uint32_t>(NumberHash(number) / count % keepers);
  }

  // A mix of the number's bits: consecutive numbers fall in any share.
  static uint64_t NumberHash(uint32_t number);
};

// The events one pass keeps: those of its share's actors, in one keeper, or, reading apart, in
// one keeper per thread (ActorShare::KeeperOf).
//
// Example (in ScanBlock; a block's rows come by actor):
//   if (number != last_number) { last_number = number; keeper = keepers_.Of(number); }
//   if (keeper == nullptr) continue;  // not the share's
//   keeper->Add(number, event);
template <typename Event>
class ActorKeepers {
 public:
  // Forgets the events kept; keeps those of `share`'s actors in `keepers` keepers from now on.
  void Begin(const ActorShare& share, uint32_t keepers) {
    share_ = share;
    keepers_.clear();
    keepers_.resize(keepers);
  }
  // The keeper of actor `number`'s events; null when the share does not hold the actor.
  ActorEvents<Event>* Of(uint32_t number) {
    return share_.Holds(number) ? &keepers_[KeeperOf(number)] : nullptr;
  }
  // The index of the keeper of a held actor's events.
  uint32_t KeeperOf(uint32_t number) const { return share_.KeeperOf(number, keepers_.size()); }
  ActorEvents<Event>& operator[](size_t keeper) { return keepers_[keeper]; }
  // The events kept in all keepers.
  size_t size() const {
    size_t kept = 0;
    for (const ActorEvents<Event>& keeper : keepers_) kept += keeper.size();
    return kept;
  }
  // Every kept event, keeper after keeper (to be rewritten in place).
  template <typename Visit>
  void ForEachEvent(Visit visit) {
    for (ActorEvents<Event>& keeper : keepers_) {
      for (Event& event : keeper.events()) visit(event);
    }
  }

 private:
  ActorShare share_;
  std::vector<ActorEvents<Event>> keepers_{1};
};

// One per-actor insight's passes. RunActorPasses calls Begin, then ScanBlock for the blocks of
// the range; then, unless kept() passed the bound (the pass is abandoned and its share read
// again in two), Finish.
class ActorPass {
 public:
  virtual ~ActorPass() = default;

  // The time range the scans read.
  virtual int64_t from_us() const = 0;
  virtual int64_t to_us() const = 0;

  // Forgets the events of the previous pass; the next scan keeps those of `share`'s actors.
  virtual void Begin(const ActorShare& share) = 0;
  // Keeps the events of one block (its rows still to be selected by time).
  virtual Status ScanBlock(store::BlockReader* block) = 0;
  // The events kept since Begin.
  virtual size_t kept() const = 0;
  // Runs the actors of the pass and adds them to the insight's answer.
  virtual Status Finish() = 0;

  // Reading apart, for passes that can (reads_apart()). All passes of one RunActorPasses are
  // then of one type. BeginApart(round, n): forgets the events kept so far; the next ScanBlock
  // calls keep the events of `round`'s actors, in n keepers (round.KeeperOf(number, n)); kept()
  // counts them all. Gather(passes), on one thread once every pass has read its blocks: makes
  // the events each pass kept readable by every pass (values they index, for one).
  // FinishShare(passes, k), on the pass's own thread: runs the actors of keeper k from the events
  // every pass of `passes` kept in it, and adds them to this pass's answer, as Finish does.
  virtual bool reads_apart() const { return false; }
  virtual void BeginApart(const ActorShare& round, uint32_t keepers);
  virtual Status Gather(std::span<ActorPass* const> passes);
  virtual Status FinishShare(std::span<ActorPass* const> passes, uint32_t keeper);
};

// Runs `pass` over the actors of `snapshot`'s parts, each pass keeping at most `max_events`.
// `insight` names the query in the refusal ("the funnel reads more than …"). `budget` may be
// null. Errors: kInvalidArgument (reason too_many_events) past kMaxActorShares shares; the
// budget's, the store's and the pass's otherwise.
Status RunActorPasses(const store::ScanSnapshot& snapshot, size_t max_events,
                      std::string_view insight, const QueryBudget* budget, ActorPass* pass);

// The same on one thread per pass of `passes` (passes[0] on the calling thread): with n passes,
// passes[i] reads the actors of share {n, i}, and the shares it splits into, one after another,
// each keeping at most max_events / n events. What a pass adds up thus depends on its shares
// only, not on how the threads ran. When every pass reads apart, they read in rounds instead:
// in each, passes[i] reads every n-th block of the range (BeginApart, ScanBlock), all together
// keeping at most max_events events of the round's actors, then runs keeper i's actors from what
// all kept (Gather, FinishShare). The first round takes every actor; one over the bound is read
// again in smaller rounds, as a pass's shares are. The passes' ScanBlock run at the same time, so
// they may read nothing that is not shared by threads. The first error of any pass is the
// answer; the others stop at their next block.
Status RunActorPasses(const store::ScanSnapshot& snapshot, size_t max_events,
                      std::string_view insight, const QueryBudget* budget,
                      std::span<ActorPass* const> passes);

}  // namespace hoglet::query
