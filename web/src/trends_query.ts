// The Trends editor's state is a TrendsQuery, kept whole in the page's URL (?q=<JSON>) so a
// link reopens the same insight. Parsing is lenient: what is missing or malformed takes its
// default, so a hand-edited link still opens. Optional parts (filters, formulas, compare,
// display, series' custom names) are only written when set, so the simplest query stays
// PostHog's simplest.
import {
  BREAKDOWN_NULL, BREAKDOWN_OTHER, BreakdownFilter, breakdownLimit, breakdownsFromRaw,
  breakdownValueLabel, filterOfBreakdowns,
} from './breakdown_filter';
import {
  colorOfToken, ColorToken, defaultColor, isColorToken,
} from './line_colors';
import {
  filtersFromRaw, groupsFromRaw, PropertyFilter, PropertyGroups,
} from './property_filters';

export type MathType = 'total' | 'dau' | 'weekly_active' | 'monthly_active' | 'unique_session'
  | 'unique_group' | 'first_time_for_user' | 'first_matching_event_for_user'
  | 'hogql' | PropertyMath | CountPerActorMath;
export type PropertyMath = 'sum' | 'avg' | 'min' | 'max' | 'median' | 'p75' | 'p90' | 'p95'
  | 'p99';
export type CountPerActorMath = 'avg_count_per_actor' | 'min_count_per_actor'
  | 'max_count_per_actor' | 'median_count_per_actor' | 'p75_count_per_actor'
  | 'p90_count_per_actor' | 'p95_count_per_actor' | 'p99_count_per_actor';
export type Interval = 'hour' | 'day' | 'week' | 'month';

export const MATHS: { value: MathType; label: string }[] = [
  { value: 'total', label: 'Total count' },
  { value: 'dau', label: 'Unique users' },
  { value: 'weekly_active', label: 'Weekly active users' },
  { value: 'monthly_active', label: 'Monthly active users' },
  { value: 'unique_session', label: 'Unique sessions' },
  { value: 'unique_group', label: 'Unique groups' },
  { value: 'first_time_for_user', label: 'First time for user' },
  { value: 'first_matching_event_for_user', label: 'First matching event for user' },
  { value: 'sum', label: 'Property sum' },
  { value: 'avg', label: 'Property average' },
  { value: 'min', label: 'Property minimum' },
  { value: 'max', label: 'Property maximum' },
  { value: 'median', label: 'Property median' },
  { value: 'p75', label: 'Property 75th percentile' },
  { value: 'p90', label: 'Property 90th percentile' },
  { value: 'p95', label: 'Property 95th percentile' },
  { value: 'p99', label: 'Property 99th percentile' },
  { value: 'avg_count_per_actor', label: 'Average events per user' },
  { value: 'min_count_per_actor', label: 'Minimum events per user' },
  { value: 'max_count_per_actor', label: 'Maximum events per user' },
  { value: 'median_count_per_actor', label: 'Median events per user' },
  { value: 'p75_count_per_actor', label: '75th percentile of events per user' },
  { value: 'p90_count_per_actor', label: '90th percentile of events per user' },
  { value: 'p95_count_per_actor', label: '95th percentile of events per user' },
  { value: 'p99_count_per_actor', label: '99th percentile of events per user' },
  { value: 'hogql', label: 'HogQL expression' },
];
export const PROPERTY_MATHS: readonly string[] =
  ['sum', 'avg', 'min', 'max', 'median', 'p75', 'p90', 'p95', 'p99'];

export const INTERVALS: Interval[] = ['hour', 'day', 'week', 'month'];
export const DATE_RANGES: { value: string; label: string }[] = [
  { value: '-24h', label: 'Last 24 hours' },
  { value: '-7d', label: 'Last 7 days' },
  { value: '-14d', label: 'Last 14 days' },
  { value: '-30d', label: 'Last 30 days' },
  { value: '-90d', label: 'Last 90 days' },
];

export type Display = 'ActionsLineGraph' | 'ActionsBar' | 'ActionsAreaGraph'
  | 'ActionsLineGraphCumulative' | 'BoldNumber' | 'ActionsPie' | 'ActionsTable' | 'WorldMap';
export const DISPLAYS: { value: Display; label: string }[] = [
  { value: 'ActionsLineGraph', label: 'Line chart' },
  { value: 'ActionsBar', label: 'Bar chart' },
  { value: 'ActionsAreaGraph', label: 'Stacked area' },
  { value: 'ActionsLineGraphCumulative', label: 'Cumulative line' },
  { value: 'BoldNumber', label: 'Number' },
  { value: 'ActionsPie', label: 'Pie' },
  { value: 'ActionsTable', label: 'Table' },
  { value: 'WorldMap', label: 'World map' },
];
// Displays that show one total per line (the server answers `aggregated_value`).
export const TOTAL_DISPLAYS: readonly Display[] = ['BoldNumber', 'ActionsPie', 'ActionsTable',
                                                   'WorldMap'];
export const WORLD_MAP_BREAKDOWN = '$geoip_country_code';

interface SeriesCommon {
  name?: string;
  custom_name?: string;  // what the legend, table and saved insight call the series
  math: MathType;
  math_property?: string;
  math_group_type_index?: number;
  math_hogql?: string;  // the HogQL aggregate of the `hogql` math
  properties?: PropertyFilter[];
}

export interface EventsNode extends SeriesCommon {
  kind: 'EventsNode';
  event: string | null;  // null: all events
}

export interface ActionsNode extends SeriesCommon {
  kind: 'ActionsNode';
  id: number;
}

export type SeriesNode = EventsNode | ActionsNode;

export type { BreakdownFilter };

export interface TrendsFilter {
  display?: Display;
  formulaNodes?: FormulaNode[];  // each shown as its own lines instead of the series
  smoothingIntervals?: number;
  // By lineKey: the lines hidden from the charts (they stay in the tables) and the lines' chosen
  // colours.
  resultCustomizations?: Record<string, ResultCustomization>;
}

// A formula over the series' letters (A/B*100), and what its lines are called (custom_name; the
// server's "Formula (A/B*100)" without one); a link's older `formula` or `formulas` is read as
// these.
export interface FormulaNode { formula: string; custom_name?: string }
export const MAX_FORMULAS = 10;
const MAX_FORMULA = 1000;

// How one line is drawn, PostHog's customization by value: hidden, and its colour.
export interface ResultCustomization { assignmentBy: 'value'; hidden?: true; color?: ColorToken }
export const MAX_CUSTOMIZED_LINES = 1000;
const MAX_LINE_KEY = 4096;

export interface TrendsQuery {
  kind: 'TrendsQuery';
  series: SeriesNode[];
  interval: Interval;
  dateRange: { date_from: string; date_to?: string | null };
  breakdownFilter?: BreakdownFilter;
  properties?: PropertyGroups;
  filterTestAccounts?: boolean;
  trendsFilter?: TrendsFilter;
  compareFilter?: CompareFilter;
}

// Compared with the previous period, or (compare_to) with the range moved back by a relative
// date ("-1w": the same range a week earlier).
export interface CompareFilter { compare: boolean; compare_to?: string }

export const COMPARE_TO: { value: string; label: string }[] = [
  { value: '', label: 'the previous period' },
  { value: '-1d', label: '1 day earlier' },
  { value: '-1w', label: '1 week earlier' },
  { value: '-2w', label: '2 weeks earlier' },
  { value: '-1m', label: '1 month earlier' },
  { value: '-3m', label: '3 months earlier' },
  { value: '-1y', label: '1 year earlier' },
];
// A relative date the server shifts by: a minus, up to four digits and a unit.
const COMPARE_TO_FORMAT = /^-[0-9]{1,4}[hdwmqy]$/;

export const MAX_SERIES = 10;
export const MAX_CUSTOM_NAME = 200;
export const MAX_MATH_HOGQL = 4096;  // the server's bound on math_hogql
export const DEFAULT_MATH_HOGQL = 'count()';

export function defaultQuery(): TrendsQuery {
  return {
    kind: 'TrendsQuery',
    series: [{ kind: 'EventsNode', event: '$pageview', name: '$pageview', math: 'total' }],
    interval: 'day',
    dateRange: { date_from: '-7d' },
  };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

// A series of a query's JSON, or null when it is neither an EventsNode nor an ActionsNode.
export function seriesFromRaw(node: any): SeriesNode | null {
  if (!node || typeof node !== 'object') return null;
  const math = oneOf(node.math, MATHS.map((m) => m.value), 'total');
  let series: SeriesNode;
  if (node.kind === 'ActionsNode' && Number.isInteger(node.id)) {
    series = { kind: 'ActionsNode', id: node.id,
               name: typeof node.name === 'string' ? node.name : `Action ${node.id}`, math };
  } else {
    const event = typeof node.event === 'string' ? node.event : null;
    series = { kind: 'EventsNode', event, name: event ?? 'All events', math };
  }
  if (PROPERTY_MATHS.includes(math)) {
    series.math_property = typeof node.math_property === 'string' ? node.math_property : '';
  }
  if (math === 'unique_group') {
    series.math_group_type_index = Number.isInteger(node.math_group_type_index)
      && node.math_group_type_index >= 0 && node.math_group_type_index <= 4
      ? node.math_group_type_index : 0;
  }
  if (math === 'hogql') {
    series.math_hogql = typeof node.math_hogql === 'string' && node.math_hogql.trim()
      ? node.math_hogql.trim().slice(0, MAX_MATH_HOGQL) : DEFAULT_MATH_HOGQL;
  }
  const properties = filtersFromRaw(node.properties);
  if (properties.length) series.properties = properties;
  if (typeof node.custom_name === 'string' && node.custom_name.trim()) {
    series.custom_name = node.custom_name.trim().slice(0, MAX_CUSTOM_NAME);
  }
  return series;
}

// Sets a series' math, with the property or group type index the math needs (and no other).
export function setMath(series: SeriesNode, math: MathType) {
  series.math = math;
  if (PROPERTY_MATHS.includes(math)) series.math_property ??= '';
  else delete series.math_property;
  if (math === 'unique_group') series.math_group_type_index ??= 0;
  else delete series.math_group_type_index;
  if (math === 'hogql') series.math_hogql ??= DEFAULT_MATH_HOGQL;
  else delete series.math_hogql;
}

// The query a URL holds, or the default one.
export function queryFromUrl(url: URL): TrendsQuery {
  let raw: any;
  try {
    raw = JSON.parse(url.searchParams.get('q') ?? 'null');
  } catch {
    raw = null;
  }
  return queryFromRaw(raw);
}

// The query of a JSON value (its parts in one order, so equal queries have equal JSON).
export function queryFromRaw(raw: any): TrendsQuery {
  const fallback = defaultQuery();
  if (!raw || typeof raw !== 'object') return fallback;
  const series: SeriesNode[] = Array.isArray(raw.series)
    ? raw.series.map(seriesFromRaw).filter((s: SeriesNode | null): s is SeriesNode => s !== null)
    : [];
  const query: TrendsQuery = {
    kind: 'TrendsQuery',
    series: series.length ? series.slice(0, MAX_SERIES) : fallback.series,
    interval: oneOf(raw.interval, INTERVALS, 'day'),
    dateRange: {
      date_from: typeof raw.dateRange?.date_from === 'string' ? raw.dateRange.date_from : '-7d',
    },
  };
  const breakdownFilter = filterOfBreakdowns(breakdownsFromRaw(raw.breakdownFilter));
  if (breakdownFilter) {
    const limit = breakdownLimit(raw.breakdownFilter?.breakdown_limit);
    if (limit !== undefined && breakdownFilter.breakdown_type !== 'cohort') {
      breakdownFilter.breakdown_limit = limit;
    }
    query.breakdownFilter = breakdownFilter;
  }
  const properties = groupsFromRaw(raw.properties);
  if (properties) query.properties = properties;
  if (raw.filterTestAccounts === true) query.filterTestAccounts = true;
  const trendsFilter: TrendsFilter = {};
  const display = raw.trendsFilter?.display;
  if (DISPLAYS.some((d) => d.value === display) && display !== 'ActionsLineGraph') {
    trendsFilter.display = display;
  }
  const formulas = formulasFromRaw(raw.trendsFilter);
  if (formulas.length) trendsFilter.formulaNodes = formulas;
  const smoothing = raw.trendsFilter?.smoothingIntervals;
  if (Number.isInteger(smoothing) && smoothing > 1 && smoothing <= 30) {
    trendsFilter.smoothingIntervals = smoothing;
  }
  const customizations = customizationsFromRaw(raw.trendsFilter);
  if (customizations) trendsFilter.resultCustomizations = customizations;
  if (Object.keys(trendsFilter).length) query.trendsFilter = trendsFilter;
  if (raw.compareFilter?.compare === true) {
    query.compareFilter = { compare: true };
    const to = raw.compareFilter.compare_to;
    if (typeof to === 'string' && COMPARE_TO_FORMAT.test(to)) query.compareFilter.compare_to = to;
  }
  return query;
}

// The formulas of a trendsFilter: its formulaNodes, else its formulas, else its formula; blank
// ones left out.
function formulasFromRaw(raw: any): FormulaNode[] {
  if (!raw || typeof raw !== 'object') return [];
  const nodes: any[] = Array.isArray(raw.formulaNodes) ? raw.formulaNodes
    : (Array.isArray(raw.formulas) ? raw.formulas : [raw.formula])
      .map((formula: unknown) => ({ formula }));
  const formulas: FormulaNode[] = [];
  for (const node of nodes) {
    const text = node?.formula;
    if (typeof text !== 'string' || text.trim() === '') continue;
    const formula: FormulaNode = { formula: text.trim().slice(0, MAX_FORMULA) };
    const name = node.custom_name;
    if (typeof name === 'string' && name.trim()) {
      formula.custom_name = name.trim().slice(0, MAX_CUSTOM_NAME);
    }
    formulas.push(formula);
  }
  return formulas.slice(0, MAX_FORMULAS);
}

// How a trendsFilter draws its lines: its customizations by value that hide a line or give it
// one of the palette's colours (customizations by position are not kept).
function customizationsFromRaw(raw: any): Record<string, ResultCustomization> | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const customizations = raw.resultCustomizations;
  if ((raw.resultCustomizationBy ?? 'value') !== 'value' || !customizations
      || typeof customizations !== 'object' || Array.isArray(customizations)) {
    return undefined;
  }
  const kept: Record<string, ResultCustomization> = {};
  let count = 0;
  for (const key of Object.keys(customizations).sort()) {
    const customization: ResultCustomization = { assignmentBy: 'value' };
    if (customizations[key]?.hidden === true) customization.hidden = true;
    if (isColorToken(customizations[key]?.color)) customization.color = customizations[key].color;
    if (Object.keys(customization).length === 1 || key.length > MAX_LINE_KEY) continue;
    if (++count > MAX_CUSTOMIZED_LINES) break;
    kept[key] = customization;
  }
  return count ? kept : undefined;
}

// PostHog's key of a line among a query's result customizations: its series (the index; for a
// formula's line "formula", "formula2"… by the formula's place), its breakdown value (always a
// list) and its compare label.
export function lineKey(result: TrendsResult): string {
  const order = result.action?.order;
  const formula = result.order ?? 0;
  const value = result.breakdown_value;
  return JSON.stringify({
    series: Number.isInteger(order) ? order : formula > 0 ? `formula${formula + 1}` : 'formula',
    breakdown_value: value !== undefined && !Array.isArray(value) ? [value] : value,
    compare_label: result.compare_label,
  });
}

// Whether the query hides `result` from its charts (a saved query too: its raw JSON will do).
export function isLineHidden(query: { trendsFilter?: unknown } | undefined,
                             result: TrendsResult): boolean {
  const filter = query?.trendsFilter as { resultCustomizations?: Record<string, any> } | undefined;
  return filter?.resultCustomizations?.[lineKey(result)]?.hidden === true;
}

export function setLineHidden(query: TrendsQuery, result: TrendsResult, hidden: boolean) {
  customizeLine(query, result, (customization) => {
    if (hidden) customization.hidden = true;
    else delete customization.hidden;
  });
}

// The colour each of `results` is drawn in: the one the query chose for it, else its place's (a
// saved query too: its raw JSON will do).
export function lineColors(query: { trendsFilter?: unknown } | undefined,
                           results: TrendsResult[]): string[] {
  const filter = query?.trendsFilter as { resultCustomizations?: Record<string, any> } | undefined;
  return results.map((result, i) => {
    const token = filter?.resultCustomizations?.[lineKey(result)]?.color;
    return isColorToken(token) ? colorOfToken(token) : defaultColor(i);
  });
}

export function setLineColor(query: TrendsQuery, result: TrendsResult, token: ColorToken) {
  customizeLine(query, result, (customization) => {
    customization.color = token;
  });
}

function customizeLine(query: TrendsQuery, result: TrendsResult,
                       change: (customization: ResultCustomization) => void) {
  const customizations = { ...query.trendsFilter?.resultCustomizations };
  const key = lineKey(result);
  const customization: ResultCustomization = { ...customizations[key], assignmentBy: 'value' };
  change(customization);
  if (Object.keys(customization).length > 1) customizations[key] = customization;
  else delete customizations[key];
  query.trendsFilter = { ...query.trendsFilter, resultCustomizations: customizations };
}

// The query the server answers: how its lines are drawn changes nothing it computes, so hiding a
// line asks nothing again.
export function computedQuery(query: TrendsQuery): TrendsQuery {
  if (!query.trendsFilter?.resultCustomizations) return query;
  const { resultCustomizations: _drawn, ...trendsFilter } = query.trendsFilter;
  const computed: TrendsQuery = { ...query, trendsFilter };
  if (Object.keys(trendsFilter).length === 0) delete computed.trendsFilter;
  return computed;
}

// The query as the editor writes it: the optional parts that hold nothing dropped (so they do
// not reach the URL), the rest in the parser's order.
export function tidyQuery(query: TrendsQuery): TrendsQuery {
  return queryFromRaw(JSON.parse(JSON.stringify(dropEmpty(query))));
}

function dropEmpty(query: TrendsQuery): TrendsQuery {
  for (const series of query.series) {
    if (series.properties && series.properties.length === 0) delete series.properties;
  }
  if (query.properties && query.properties.values.length === 0) delete query.properties;
  if (!query.filterTestAccounts) delete query.filterTestAccounts;
  if (query.trendsFilter) {
    if (!query.trendsFilter.formulaNodes?.length) delete query.trendsFilter.formulaNodes;
    if (query.trendsFilter.display === 'ActionsLineGraph') delete query.trendsFilter.display;
    if (!query.trendsFilter.smoothingIntervals || query.trendsFilter.smoothingIntervals <= 1) {
      delete query.trendsFilter.smoothingIntervals;
    }
    const customizations = query.trendsFilter.resultCustomizations;
    if (customizations && Object.keys(customizations).length === 0) {
      delete query.trendsFilter.resultCustomizations;
    }
    if (Object.keys(query.trendsFilter).length === 0) delete query.trendsFilter;
  }
  if (!query.compareFilter?.compare) delete query.compareFilter;
  return query;
}

export function urlForQuery(query: TrendsQuery): string {
  return `/insights/trends?q=${encodeURIComponent(JSON.stringify(query))}`;
}

export function displayOf(query: TrendsQuery): Display {
  return query.trendsFilter?.display ?? 'ActionsLineGraph';
}

// The letter naming series `i` in formulas (A, B, C…).
export function seriesLetter(i: number): string {
  return String.fromCharCode(65 + i);
}

// One line of a TrendsQuery answer.
export interface TrendsResult {
  label: string;
  data: number[];
  labels: string[];
  days: string[];
  count: number;
  aggregated_value?: number;
  breakdown_value?: unknown;
  compare?: boolean;
  compare_label?: string;
  action?: { order?: number; custom_name?: string | null } | null;
  order?: number;
}

// What the legend, table and persons' title call a line: the server's label, or the series'
// custom name (followed by " - " and the breakdown value when there is one; for a cohort, whose
// value is its id or "all", the server's label of it: the cohort's name, "all users"). The
// server's placeholders for the values past the breakdown limit and for a missing value read
// "Other" and "(none)".
export function lineLabel(result: TrendsResult): string {
  const custom = result.action?.custom_name;
  if (!custom) return shownPlaceholders(result.label);
  const value = result.breakdown_value;
  if (value === undefined) return custom;
  if (typeof value === 'number' || value === 'all') return `${custom} - ${result.label}`;
  const values = Array.isArray(value) ? value : [value];
  return `${custom} - ${values.map((v) => breakdownValueLabel(String(v))).join('::')}`;
}

function shownPlaceholders(label: string): string {
  return label.split(BREAKDOWN_OTHER).join(breakdownValueLabel(BREAKDOWN_OTHER))
    .split(BREAKDOWN_NULL).join(breakdownValueLabel(BREAKDOWN_NULL));
}

// The lines with the labels lineLabel gives them; the same list for the same answer (charts
// redraw when their lines change).
const labelled = new WeakMap<TrendsResult[], TrendsResult[]>();
export function withLineLabels(results: TrendsResult[]): TrendsResult[] {
  let named = labelled.get(results);
  if (!named) {
    named = results.map((r) => ({ ...r, label: lineLabel(r) }));
    labelled.set(results, named);
  }
  return named;
}
