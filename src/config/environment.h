// Environment variables as a value, so configuration can be loaded from a map in tests and from
// the process environment in main().
#pragma once

#include <functional>
#include <map>
#include <string>

namespace hoglet::config {

// Name → value.
using Environment = std::map<std::string, std::string, std::less<>>;

// A copy of the process environment (`environ`). Call before starting threads that might call
// setenv(); the copy is never affected by later changes.
Environment ProcessEnvironment();

}  // namespace hoglet::config
