// The composition root: the only place that knows every module. It opens the stores under the
// data directory in dependency order, starts the ingestion consumer and the HTTP server, and
// stops them in reverse order.
//
//   DATA_DIR/meta.sqlite   organizations, projects, users, keys        (meta/)
//   DATA_DIR/persons.sqlite  persons, distinct ids, groups, warnings   (persons/)
//   DATA_DIR/log/          the durable event log                       (log/)
//   DATA_DIR/events/       the columnar event store                    (store/)
#pragma once

#include <cstdint>
#include <memory>

#include "base/clock.h"
#include "base/status.h"
#include "config/serve_options.h"
#include "meta/meta_store.h"

namespace hoglet::server {

class App {
 public:
  // Opens everything and starts serving. Errors name the part that failed and why.
  static StatusOr<std::unique_ptr<App>> Start(const config::ServeOptions& options,
                                              const Clock& clock);

  virtual ~App() = default;

  // The port the HTTP server is bound to.
  virtual uint16_t port() const = 0;
  // What the first start created (the keys to print), or the existing project.
  virtual const meta::BootstrapResult& bootstrap() const = 0;

  // Graceful stop: no new connections, in-flight requests answered, ingestion stopped after its
  // current batch, files closed. Acknowledged events are in the log and are ingested at the next
  // start if the consumer had not reached them. Idempotent.
  virtual void Stop() = 0;
};

}  // namespace hoglet::server
