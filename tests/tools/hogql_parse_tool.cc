// Test-only: runs Hoglet's HogQL parser over queries given on standard input, for the
// differential test against PostHog's parser (tests/sdk/hogql_parser_corpus.test.mjs).
//
// Input, repeated: a line "<mode> <byte length>" (mode "select" or "expr"), then that many bytes
// of query text, then a newline. Output: one JSON object per query, on its own line:
//   {"ok": true, "printed": "<canonical HogQL>", "reprinted_same": true}
//   {"ok": false, "error": "line 1, column 8: …"}
// `reprinted_same` says whether parsing the printed text gives the same tree again.
#include <cstdio>
#include <iostream>
#include <string>

#include "base/json_writer.h"
#include "hogql/ast.h"
#include "hogql/parser.h"
#include "hogql/printer.h"

namespace {

hoglet::StatusOr<hoglet::hogql::ExprPtr> Parse(const std::string& mode, const std::string& text) {
  return mode == "expr" ? hoglet::hogql::ParseExpr(text) : hoglet::hogql::ParseSelect(text);
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string mode;
  size_t length = 0;
  while (std::cin >> mode >> length) {
    std::cin.get();  // the newline after the header
    std::string text(length, '\0');
    std::cin.read(text.data(), static_cast<std::streamsize>(length));
    std::cin.get();  // the newline after the text
    hoglet::JsonWriter out;
    out.BeginObject();
    auto parsed = Parse(mode, text);
    out.Key("ok");
    out.Bool(parsed.ok());
    if (parsed.ok()) {
      std::string printed = hoglet::hogql::PrintHogQL(**parsed);
      out.Key("printed");
      out.String(printed);
      auto again = Parse(mode, printed);
      bool same =
          again.ok() && hoglet::hogql::DebugString(**again) == hoglet::hogql::DebugString(**parsed);
      out.Key("reprinted_same");
      out.Bool(same);
      if (!same) {
        out.Key("debug");
        out.String(hoglet::hogql::DebugString(**parsed));
        out.Key("debug_again");
        out.String(again.ok() ? hoglet::hogql::DebugString(**again) : again.status().message());
      }
    } else {
      out.Key("error");
      out.String(parsed.status().message());
    }
    out.EndObject();
    std::cout << out.str() << '\n';
  }
  std::cout.flush();
  return 0;
}
