#include "hogql/executor/events_select.h"

#include <memory>
#include <utility>

#include "base/time_format.h"
#include "hogql/executor/functions.h"
#include "hogql/parser.h"
#include "hogql/printer.h"

namespace hoglet::hogql {
namespace {

// The entry without PostHog's trailing label: "count() -- Total" is "count()".
std::string_view Unlabelled(std::string_view entry) {
  size_t comment = entry.find("--");
  std::string_view head = entry.substr(0, comment);
  while (!head.empty() && (head.front() == ' ' || head.front() == '\t')) head.remove_prefix(1);
  while (!head.empty() && (head.back() == ' ' || head.back() == '\t')) head.remove_suffix(1);
  return head;
}

std::string Quoted(std::string text) {
  Constant constant;
  constant.value = std::move(text);
  return PrintHogQL(constant);
}

// The text, one line per item, each line labelled with its query field.
class Lines {
 public:
  void Add(std::string text, std::string field) {
    text_ += text;
    text_ += '\n';
    fields_.push_back(std::move(field));
  }
  EventsSelect Take(EventsSelect select) && {
    select.text = std::move(text_);
    select.line_fields = std::move(fields_);
    return select;
  }

 private:
  std::string text_;
  std::vector<std::string> fields_;
};

struct Item {
  std::string text;  // printed HogQL
  std::string field;
  bool aggregate = false;
  std::string group_text;  // without its alias, for GROUP BY; empty: `text`
};

// Parses one entry, naming it in errors.
StatusOr<ExprPtr> ParseEntry(const std::string& entry, const std::string& field) {
  StatusOr<ExprPtr> parsed = ParseExpr(entry);
  if (!parsed.ok()) {
    return InvalidArgumentError(field + ": " + parsed.status().message(),
                                std::string(parsed.status().reason()));
  }
  return parsed;
}

}  // namespace

StatusOr<EventsSelect> ComposeEventsSelect(const query::EventsQuery& query,
                                           std::optional<int64_t> after_us, int64_t before_us) {
  EventsSelect out;
  std::vector<std::string> entries = query.select;
  if (entries.empty()) entries.push_back("*");

  std::vector<Item> select;
  std::optional<std::string> first_aggregate;
  bool selects_timestamp = false;
  bool selects_count = false;
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string field = "query.select[" + std::to_string(i) + "]";
    const std::string& entry = entries[i];
    EventsColumn column;
    column.name = entry;
    column.first = select.size();
    if (entry == "*") {
      column.kind = EventsColumn::Kind::kStar;
      column.count = kEventStarFields.size();
      for (std::string_view name : kEventStarFields)
        select.push_back({std::string(name), field, false, {}});
    } else if (Unlabelled(entry) == "person") {
      column.kind = EventsColumn::Kind::kPerson;
      select.push_back({"distinct_id", field, false, {}});
    } else {
      HOGLET_ASSIGN_OR_RETURN(ExprPtr expr, ParseEntry(entry, field));
      Item item{PrintHogQL(*expr), field, ContainsAggregate(*expr), {}};
      if (const Alias* alias = expr->TryAs<Alias>()) {
        column.name = alias->alias;
        item.group_text = PrintHogQL(*alias->expr);
      }
      if (item.aggregate && !first_aggregate) first_aggregate = item.text;
      select.push_back(std::move(item));
    }
    selects_timestamp = selects_timestamp || entry == "timestamp";
    selects_count = selects_count || entry == "count()";
    out.columns.push_back(std::move(column));
  }
  out.select_columns = select.size();

  std::vector<Item> where;
  std::vector<Item> having;
  for (size_t i = 0; i < query.where.size(); ++i) {
    const std::string field = "query.where[" + std::to_string(i) + "]";
    HOGLET_ASSIGN_OR_RETURN(ExprPtr expr, ParseEntry(query.where[i], field));
    Item item{"(" + PrintHogQL(*expr) + ")", field, ContainsAggregate(*expr), {}};
    (item.aggregate ? having : where).push_back(std::move(item));
  }
  if (query.event) where.push_back({"event = " + Quoted(*query.event), "query.event", false, {}});
  where.push_back({"timestamp < toDateTime(" + Quoted(FormatIsoMicros(before_us)) + ")",
                   "query.before",
                   false,
                   {}});
  if (after_us) {
    where.push_back({"timestamp > toDateTime(" + Quoted(FormatIsoMicros(*after_us)) + ")",
                     "query.after",
                     false,
                     {}});
  }

  std::vector<Item> order;
  for (size_t i = 0; i < query.order_by.size(); ++i) {
    const std::string field = "query.orderBy[" + std::to_string(i) + "]";
    StatusOr<std::vector<std::unique_ptr<OrderExpr>>> parsed =
        ParseOrderExprList(query.order_by[i]);
    if (!parsed.ok()) {
      return InvalidArgumentError(field + ": " + parsed.status().message(),
                                  std::string(parsed.status().reason()));
    }
    for (const auto& expr : *parsed) order.push_back({PrintHogQL(*expr), field, false, {}});
  }
  if (query.order_by.empty()) {
    if (selects_count) {
      order.push_back({"count() DESC", "", false, {}});
    } else if (first_aggregate) {
      order.push_back({*first_aggregate + " DESC", "", false, {}});
    } else if (selects_timestamp) {
      order.push_back({"timestamp DESC", "", false, {}});
    } else if (!out.columns.empty()) {
      // The first column ascending ("*" orders by its fields in turn).
      const EventsColumn& first = out.columns.front();
      for (size_t i = first.first; i < first.first + first.count; ++i) {
        order.push_back({select[i].text + " ASC", "", false, {}});
      }
    }
  }
  bool aggregating = false;
  for (const Item& item : select) aggregating = aggregating || item.aggregate;

  Lines lines;
  auto list = [&](const char* keyword, const std::vector<Item>& items, const char* separator) {
    lines.Add(keyword, "");
    for (size_t i = 0; i < items.size(); ++i) {
      lines.Add((i == 0 ? std::string() : std::string(separator)) + items[i].text, items[i].field);
    }
  };
  list("SELECT", select, ", ");
  lines.Add("FROM events", "");
  if (!where.empty()) list("WHERE", where, "AND ");
  if (aggregating) {
    std::vector<Item> groups;
    for (const Item& item : select) {
      if (item.aggregate) continue;
      groups.push_back(item);
      if (!item.group_text.empty()) groups.back().text = item.group_text;
    }
    if (!groups.empty()) list("GROUP BY", groups, ", ");
  }
  if (!having.empty()) list("HAVING", having, "AND ");
  if (!order.empty()) list("ORDER BY", order, ", ");
  lines.Add("LIMIT " + std::to_string(query.limit + 1), "query.limit");
  if (query.offset > 0) lines.Add("OFFSET " + std::to_string(query.offset), "query.offset");
  return std::move(lines).Take(std::move(out));
}

Status AttributeError(const Status& error, const EventsSelect& select) {
  const std::string& message = error.message();
  if (!message.starts_with("line ")) return error;
  size_t comma = message.find(", column ");
  size_t colon = message.find(": ", comma == std::string::npos ? 0 : comma);
  if (comma == std::string::npos || colon == std::string::npos) return error;
  size_t line = 0;
  for (size_t i = 5; i < comma; ++i) {
    if (message[i] < '0' || message[i] > '9') return error;
    line = line * 10 + static_cast<size_t>(message[i] - '0');
  }
  if (line == 0 || line > select.line_fields.size() || select.line_fields[line - 1].empty()) {
    return error;
  }
  return Status(error.code(), select.line_fields[line - 1] + ": " + message.substr(colon + 2),
                std::string(error.reason()));
}

}  // namespace hoglet::hogql
