#include "flags/remote_config_json.h"

namespace hoglet::flags {

void WriteRemoteConfigFields(const meta::Project& project, bool has_feature_flags, JsonWriter* w) {
  w->Key("token");
  w->String(project.api_token);
  w->Key("supportedCompression");
  w->BeginArray();
  w->String("gzip");
  w->String("gzip-js");
  w->EndArray();
  w->Key("hasFeatureFlags");
  w->Bool(has_feature_flags);
  w->Key("captureDeadClicks");
  w->Bool(false);
  w->Key("capturePerformance");
  w->Bool(false);
  w->Key("autocapture_opt_out");
  w->Bool(false);
  w->Key("autocaptureExceptions");
  w->Bool(false);
  w->Key("analytics");
  w->BeginObject();
  w->Key("endpoint");
  w->String("/e/");
  w->EndObject();
  w->Key("elementsChainAsString");
  w->Bool(true);
  w->Key("sessionRecording");
  w->Bool(false);
  w->Key("heatmaps");
  w->Bool(false);
  w->Key("surveys");
  w->Bool(false);
  w->Key("defaultIdentifiedOnly");
  w->Bool(true);
  w->Key("isAuthenticated");
  w->Bool(false);
  w->Key("toolbarParams");
  w->BeginObject();
  w->EndObject();
  w->Key("config");
  w->BeginObject();
  w->Key("enable_collect_everything");
  w->Bool(true);
  w->EndObject();
  w->Key("siteApps");
  w->BeginArray();
  w->EndArray();
}

}  // namespace hoglet::flags
