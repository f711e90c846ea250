// The project's annotations (GET /api/projects/{id}/annotations/) and where one falls on a chart
// whose buckets start at `days` (the query API's local bucket starts, "YYYY-MM-DD" or
// "YYYY-MM-DD HH:MM:SS" in the project's time zone).
import { useEffect, useState } from 'preact/hooks';
import { api, Page, Project } from './api';

export interface Annotation {
  id: number;
  content: string | null;
  date_marker: string | null;
  scope: string;
  dashboard_item: number | null;
  emoji: string | null;
  hidden_in_user_interface: boolean | null;
  created_by: { email: string } | null;
}

// The annotations a chart of the project shows: project- and organization-wide ones, not hidden;
// reloaded when `generation` changes.
export function useAnnotations(project: Project, generation = 0): Annotation[] {
  const [annotations, setAnnotations] = useState<Annotation[]>([]);
  useEffect(() => {
    api<Page<Annotation>>('GET', `/api/projects/${project.id}/annotations/?limit=1000`)
      .then((page) => setAnnotations(page.results))
      .catch(() => setAnnotations([]));
  }, [project.id, generation]);
  return annotations;
}

export function shownOnCharts(annotation: Annotation): boolean {
  return annotation.date_marker !== null && annotation.hidden_in_user_interface !== true
    && (annotation.scope === 'project' || annotation.scope === 'organization');
}

// "YYYY-MM-DD HH:MM:SS" of an instant in `timeZone`.
export function localTime(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
    minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:`
    + part('second');
}

// The bucket an instant falls in: the last one starting at or before it; -1 before the first.
export function bucketOf(iso: string, days: string[], timeZone: string): number {
  const local = localTime(iso, timeZone);
  let found = -1;
  days.forEach((day, i) => {
    if (day <= local) found = i;
  });
  return found;
}

// Chart markers for the annotations that fall in the chart's range.
export function annotationMarkers(annotations: Annotation[], days: string[],
                                  timeZone: string): { index: number; label: string }[] {
  return annotations.filter(shownOnCharts).flatMap((annotation) => {
    const index = bucketOf(annotation.date_marker!, days, timeZone);
    if (index < 0) return [];
    const label = `${annotation.emoji ?? ''}${annotation.emoji ? ' ' : ''}${annotation.content ?? ''}`;
    return [{ index, label }];
  });
}
