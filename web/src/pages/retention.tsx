// Insights → Retention: the target (cohorting) and returning events or actions, the retention
// type, the period and how many are followed, what counts as a return, the date range and a
// breakdown; the answer of the
// query API as the cohort table, each cell's share of its cohort (or of the interval before).
// A cell lists its persons (with a breakdown, those counted under the cell's value). The query
// lives in the URL (retention_query.ts).
import { useState } from 'preact/hooks';
import { Project } from '../api';
import { breakdownValueLabel } from '../breakdown_filter';
import { QueryBreakdown } from '../components/breakdown_select';
import { QueryDateRange } from '../components/date_range_select';
import { InsightPersons } from '../components/insight_persons';
import { InsightTabs } from '../components/insight_tabs';
import { cohortsOf, RetentionCell, RetentionTable } from '../components/retention_table';
import { SaveInsight } from '../components/save_insight';
import { Select } from '../components/select';
import { EntityPicker } from '../components/series_picker';
import { useEventNames, useEventPropertyNames } from '../definitions';
import { useQueryAnswer } from '../query_answer';
import { queryUpdater } from '../query_edit';
import {
  appearanceColumn, cohortDate, entityFromNode, MAX_INTERVALS, MAX_OCCURRENCES, nodeFromEntity,
  PERIODS,
  REFERENCES, RetentionCohort, retentionFromUrl, RetentionPeriod,
  RetentionReference, RETENTION_TYPES, RetentionType, urlForRetention,
} from '../retention_query';
import { useLocation } from '../router';
import { useActions } from './actions';

export function RetentionPage({ project }: { project: Project }) {
  const query = retentionFromUrl(useLocation());
  const events = useEventNames(project);
  const properties = useEventPropertyNames(project);
  const actions = useActions(project);
  const answer = useQueryAnswer<RetentionCohort[]>(project, query, []);
  const key = JSON.stringify(query);
  const [cell, setCell] = useState<{ key: string; cell: RetentionCell } | null>(null);
  const update = queryUpdater(query, urlForRetention);
  const filter = query.retentionFilter;
  const shownCell = cell?.key === key ? cell.cell : null;
  const cohorts = answer.state === 'done' ? answer.results : [];
  const shownCohorts = shownCell ? cohortsOf(cohorts, shownCell.breakdown) : [];
  const shownCohort = shownCell ? shownCohorts[shownCell.cohort] : undefined;

  return (
    <section class="page">
      <InsightTabs current="/insights/retention" />
      <h1>Retention</h1>
      <div class="editor">
        <fieldset class="series">
          <legend>Cohorts and returns</legend>
          <div class="series-row">
            <EntityPicker testid="retention-target" label="Persons who did"
                          node={nodeFromEntity(filter.targetEntity)}
                          events={events} actions={actions} allowAllEvents={true}
                          onChange={(node) => update((q) => {
                            q.retentionFilter.targetEntity = entityFromNode(node);
                          })} />
            <Select label="For" testid="retention-type" value={filter.retentionType}
                    options={RETENTION_TYPES}
                    onChange={(value) => update((q) => {
                      q.retentionFilter.retentionType = value as RetentionType;
                    })} />
          </div>
          <div class="series-row">
            <EntityPicker testid="retention-returning" label="and came back to do"
                          node={nodeFromEntity(filter.returningEntity)}
                          events={events} actions={actions} allowAllEvents={true}
                          onChange={(node) => update((q) => {
                            q.retentionFilter.returningEntity = entityFromNode(node);
                          })} />
            <label class="control">
              <span>At least (times)</span>
              <input type="number" min={1} max={MAX_OCCURRENCES} value={filter.minimumOccurrences}
                     data-testid="retention-min-occurrences" aria-label="Returning events needed"
                     onChange={(e) => {
                       const value = Number((e.target as HTMLInputElement).value);
                       if (Number.isInteger(value) && value > 0 && value <= MAX_OCCURRENCES) {
                         update((q) => { q.retentionFilter.minimumOccurrences = value; });
                       }
                     }} />
            </label>
            <Select label="Counted" testid="retention-cumulative"
                    value={filter.cumulative ? 'true' : 'false'}
                    options={[{ value: 'false', label: 'in that interval' },
                              { value: 'true', label: 'in that interval or later' }]}
                    onChange={(value) => update((q) => {
                      q.retentionFilter.cumulative = value === 'true';
                    })} />
          </div>
        </fieldset>
        <div class="controls">
          <Select label="Period" testid="retention-period" value={filter.period}
                  options={PERIODS.map((p) => ({ value: p, label: p }))}
                  onChange={(value) => update((q) => {
                    q.retentionFilter.period = value as RetentionPeriod;
                  })} />
          <label class="control">
            <span>Intervals followed</span>
            <input type="number" min={1} max={MAX_INTERVALS} value={filter.totalIntervals}
                   data-testid="retention-intervals" aria-label="Intervals followed"
                   onChange={(e) => {
                     const value = Number((e.target as HTMLInputElement).value);
                     if (Number.isInteger(value) && value > 0 && value <= MAX_INTERVALS) {
                       update((q) => { q.retentionFilter.totalIntervals = value; });
                     }
                   }} />
          </label>
          <QueryBreakdown properties={properties} query={query} update={update} />
          <QueryDateRange query={query} update={update} />
          <Select label="Percentages" testid="retention-reference"
                  value={filter.retentionReference} options={REFERENCES}
                  onChange={(value) => update((q) => {
                    q.retentionFilter.retentionReference = value as RetentionReference;
                  })} />
        </div>
      </div>
      <SaveInsight project={project} query={query} />
      {answer.state === 'loading' && <p class="muted" data-testid="retention-loading">Loading…</p>}
      {answer.state === 'error' && <p class="error" role="alert">{answer.message}</p>}
      {answer.state === 'done' && (
        <div data-testid="retention-answer" data-query={key}>
          {cohorts.length === 0
            ? <p class="muted">No cohorts in this range.</p>
            : <RetentionTable cohorts={cohorts} period={filter.period}
                              reference={filter.retentionReference} selected={shownCell}
                              onCell={(picked) => setCell({ key, cell: picked })} />}
        </div>
      )}
      {answer.state === 'done' && shownCell && shownCohort && (
        <InsightPersons
          key={`${key}/${shownCell.breakdown ?? ''}/${shownCell.cohort}/${shownCell.offset}`}
          project={project}
          title={`${shownCohort.values[shownCell.offset]?.label ?? ''} of the cohort of ${
            cohortDate(shownCohort.date, filter.period)}${
            shownCell.breakdown === undefined ? '' : ` (${breakdownValueLabel(shownCell.breakdown)})`}`}
          query={{ kind: 'ActorsQuery',
                   select: ['person', appearanceColumn(filter.period, shownCell.offset)],
                   source: { kind: 'InsightActorsQuery', interval: shownCell.cohort,
                             ...(shownCell.breakdown === undefined
                               ? {} : { breakdown: [shownCell.breakdown] }),
                             source: query } }}
          keep={(row) => row[1] === 1}
          onClose={() => setCell(null)} />
      )}
    </section>
  );
}
