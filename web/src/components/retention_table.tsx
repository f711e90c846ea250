// A retention answer drawn as PostHog's cohort table: per cohort its period and size, and per
// interval the share of the cohort counted there (of the size, or of the interval before), its
// background as dark as the share is high. Intervals past the range stay empty. With a
// breakdown, one table per value. A cell can be clicked (its persons; not the Other line's,
// which names no value); the counts are on the cells (data-count) for tests and tools to read.
import { BREAKDOWN_OTHER, breakdownValueLabel } from '../breakdown_filter';
import { cellText } from './data_table';
import {
  cohortDate, percentText, RetentionCohort, retentionPercent, RetentionPeriod, RetentionReference,
} from '../retention_query';

// A cell of the table: the cohort (row of its breakdown value's table) and offset, and with a
// breakdown the value as the answer's breakdown_value spells it ('' for a missing value).
export interface RetentionCell { cohort: number; offset: number; breakdown?: string }

export { BREAKDOWN_OTHER };

// The cohorts grouped by breakdown value, in the answer's order (one group without breakdown).
function groups(cohorts: RetentionCohort[]): { value: string | null; cohorts: RetentionCohort[] }[] {
  const byValue = new Map<string, RetentionCohort[]>();
  for (const cohort of cohorts) {
    const key = 'breakdown_value' in cohort ? cellText(cohort.breakdown_value) : '\u0000';
    if (!byValue.has(key)) byValue.set(key, []);
    byValue.get(key)!.push(cohort);
  }
  return [...byValue.entries()].map(([value, list]) => ({
    value: value === '\u0000' ? null : value, cohorts: list }));
}

// The cohorts of one breakdown value (all of them without breakdown), as the table's rows.
export function cohortsOf(cohorts: RetentionCohort[], breakdown?: string): RetentionCohort[] {
  return groups(cohorts).find((group) => (group.value ?? undefined) === breakdown)?.cohorts ?? [];
}

// The heat of a share: the accent colour, from faint to full.
function heat(percent: number): { backgroundColor: string; color: string } {
  const alpha = percent <= 0 ? 0 : 0.08 + 0.92 * Math.min(percent, 100) / 100;
  return { backgroundColor: `rgba(29, 74, 255, ${alpha.toFixed(3)})`,
           color: alpha > 0.55 ? '#fff' : '#151515' };
}

export function RetentionTable({ cohorts, period, reference, onCell, selected }: {
  cohorts: RetentionCohort[];
  period: RetentionPeriod;
  reference: RetentionReference;
  onCell?: (cell: RetentionCell) => void;
  selected?: RetentionCell | null;
}) {
  return (
    <div class="retention" data-testid="retention-tables">
      {groups(cohorts).map((group) => {
        const clickable = onCell && group.value !== BREAKDOWN_OTHER;
        const breakdown = group.value ?? undefined;
        return (
          <div key={group.value ?? ''} class="table-scroll retention-group" tabIndex={0}>
            {group.value !== null && (
              <h3 data-testid="retention-breakdown">{breakdownValueLabel(group.value)}</h3>
            )}
            <table class="retention-table" data-testid="retention-table">
              <thead>
                <tr>
                  <th scope="col">Cohort</th>
                  <th scope="col">Size</th>
                  {(group.cohorts[0]?.values ?? []).map((cell, k) => (
                    <th scope="col" key={k}>{cell.label}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {group.cohorts.map((cohort, c) => {
                  const counts = cohort.values.map((cell) => cell.count);
                  return (
                    <tr key={c} data-testid="retention-row" data-date={cohort.date}>
                      <th scope="row" data-testid="retention-date">{cohortDate(cohort.date, period)}</th>
                      <td data-testid="retention-size">{counts[0] ?? 0}</td>
                      {counts.map((count, k) => {
                        if (c + k >= group.cohorts.length) {
                          return <td key={k} class="future" data-testid="retention-cell"
                                     data-count={count} data-offset={k} />;
                        }
                        const percent = retentionPercent(counts, k, reference);
                        const text = percentText(percent);
                        const chosen = selected?.cohort === c && selected.offset === k
                          && selected.breakdown === breakdown;
                        const name = `${cohort.values[k].label} of ${cohortDate(cohort.date, period)}`;
                        return (
                          <td key={k} data-testid="retention-cell" data-count={count} data-offset={k}
                              style={heat(percent)} class={chosen ? 'selected' : undefined}
                              title={`${count} of ${counts[0] ?? 0}`}>
                            {clickable
                              ? <button type="button" class="cell"
                                        aria-label={`${text}, ${name}: ${count} persons`}
                                        onClick={() => onCell?.({ cohort: c, offset: k, breakdown })}>
                                  {text}</button>
                              : text}
                          </td>
                        );
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        );
      })}
    </div>
  );
}
