// The event-or-action picker of a series (Trends) or a step (Funnels): the project's events from
// its definitions, "All events" where the insight allows it, and its actions. A picked value is
// the event's name, ALL_EVENTS, or "action:<id>". Typing in its search box asks the server for
// the events and actions whose names hold the words.
import { useRef } from 'preact/hooks';
import { useActionSearch, useEventSearch } from '../definitions';
import type { Action } from '../pages/actions';
import { SearchSelect } from './search_select';
import type { Option } from './select';

export const ALL_EVENTS = '__all__';
const ACTION_PREFIX = 'action:';

export type EntityNode = { kind: 'EventsNode'; event: string | null; name?: string }
  | { kind: 'ActionsNode'; id: number; name?: string };

export function pickerValue(node: EntityNode): string {
  if (node.kind === 'ActionsNode') return `${ACTION_PREFIX}${node.id}`;
  return node.event ?? ALL_EVENTS;
}

// The node a picked value names (its name is the event's or the action's).
export function nodeForValue(value: string, actions: Action[]): EntityNode {
  if (value.startsWith(ACTION_PREFIX)) {
    const id = Number(value.slice(ACTION_PREFIX.length));
    return { kind: 'ActionsNode', id, name: actions.find((a) => a.id === id)?.name ?? `Action ${id}` };
  }
  const event = value === ALL_EVENTS ? null : value;
  return { kind: 'EventsNode', event, name: event ?? 'All events' };
}

export function EntityPicker(props: { testid: string; node: EntityNode; events: string[];
                                      actions: Action[]; allowAllEvents: boolean;
                                      onChange: (node: EntityNode) => void; label?: string }) {
  const options: Option[] = [
    ...(props.allowAllEvents ? [{ value: ALL_EVENTS, label: 'All events' }] : []),
    ...props.events.map((name) => ({ value: name, label: name })),
    ...props.actions.map((action) => ({ value: `${ACTION_PREFIX}${action.id}`,
                                        label: `Action: ${action.name}` })),
  ];
  const value = pickerValue(props.node);
  if (!options.some((o) => o.value === value)) {
    options.push({ value, label: props.node.name ?? value });
  }
  const searchEvents = useEventSearch();
  const searchActions = useActionSearch();
  // Actions found by a search, so a picked one is named by its name.
  const foundActions = useRef<Action[]>([]);
  const search = searchEvents && searchActions
    ? async (text: string): Promise<Option[]> => {
      const [events, actions] = await Promise.all([searchEvents(text), searchActions(text)]);
      foundActions.current = actions;
      return [...events.map((name) => ({ value: name, label: name })),
              ...actions.map((action) => ({ value: `${ACTION_PREFIX}${action.id}`,
                                            label: `Action: ${action.name}` }))];
    }
    : undefined;
  return (
    <SearchSelect label={props.label ?? 'Event'} testid={props.testid} value={value}
                  options={options} search={search}
                  onChange={(picked) => props.onChange(
                    nodeForValue(picked, [...props.actions, ...foundActions.current]))} />
  );
}
