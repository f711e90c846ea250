// The skeleton of an insight editor's page: the insight tabs and title, the editor, the save
// form, then the query API's answer (loading, its error, or the results drawn by `children`
// inside <div data-testid="<name>-answer" data-query=<the query's JSON>>, or `emptyText` when
// there are none) and what a click on the answer opened (a persons list).
//
//   <InsightPage name="stickiness" title="Stickiness" project={project} query={query}
//                answer={answer} editor={…} emptyText="No series.">
//     {(results) => <StickinessAnswer results={results} … />}
//   </InsightPage>
import type { ComponentChildren } from 'preact';
import type { Project } from '../api';
import type { InsightQuery } from '../pages/insights';
import type { Answer } from '../query_answer';
import { InsightTabs } from './insight_tabs';
import { SaveInsight } from './save_insight';

export function InsightPage<R>({ name, title, project, query, answer, editor, emptyText,
                                 children, opened }: {
  name: string; title: string; project: Project; query: InsightQuery; answer: Answer<R[]>;
  editor: ComponentChildren; emptyText: string; children: (results: R[]) => ComponentChildren;
  opened?: ComponentChildren;
}) {
  return (
    <section class="page">
      <InsightTabs current={`/insights/${name}`} />
      <h1>{title}</h1>
      <div class="editor">{editor}</div>
      <SaveInsight project={project} query={query} />
      {answer.state === 'loading' && <p class="muted" data-testid={`${name}-loading`}>Loading…</p>}
      {answer.state === 'error' && <p class="error" role="alert">{answer.message}</p>}
      {answer.state === 'done' && (
        <div data-testid={`${name}-answer`} data-query={JSON.stringify(query)}>
          {answer.results.length === 0 ? <p class="muted">{emptyText}</p> : children(answer.results)}
        </div>
      )}
      {answer.state === 'done' && opened}
    </section>
  );
}
