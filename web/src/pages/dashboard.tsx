// One dashboard (/dashboards/{id}), as in PostHog: its tiles on a grid that is dragged and
// resized (each tile's `layouts` saved with PATCH {tiles: [{id, layouts}]}, as PostHog's client
// saves them), text tiles added, edited and deleted (PATCH tiles [{text: {body}}], [{id, text}],
// [{id, deleted: true}]), the dashboard's filters (a date range and property filters saved in
// its `filters`, which the server applies to every tile's query), and live mode: the tiles asked
// again every LIVE_INTERVAL_MS. GET …/dashboards/{id}/?refresh=blocking computes what the cache
// does not hold; the cache is keyed by the project's data version, so an answer is never served
// once a new event is stored, and live mode shows new events within seconds. Refresh forces a
// recomputation (force_blocking).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, Project } from '../api';
import { DashboardFilters, DashboardFilterValues } from '../components/dashboard_filters';
import { TextTile } from '../components/text_tile';
import { TileGrid } from '../components/tile_grid';
import { Grid, gridOf, layoutsOf, TileLayouts } from '../grid_layout';
import { Insight, InsightTile } from './insights';

const LIVE_INTERVAL_MS = 5000;

interface Tile {
  id: number;
  layouts: TileLayouts | null;
  insight: Insight | null;
  text: { id: number; body: string } | null;
}

interface DashboardDetail {
  id: number;
  name: string;
  filters: DashboardFilterValues;
  tiles: Tile[];
  last_refresh: string | null;
}

// `next`, with each insight result equal to the one shown before kept as the same value, so live
// mode does not redraw charts whose numbers did not change.
function keepUnchanged(previous: DashboardDetail | null, next: DashboardDetail): DashboardDetail {
  if (!previous) return next;
  const shown = new Map(previous.tiles.map((tile) => [tile.id, tile.insight]));
  for (const tile of next.tiles) {
    const before = shown.get(tile.id);
    if (tile.insight && before && JSON.stringify(before.result) === JSON.stringify(tile.insight.result)) {
      tile.insight.result = before.result;
    }
  }
  return next;
}

export function DashboardPage({ project, id }: { project: Project; id: number }) {
  const path = `/api/projects/${project.id}/dashboards/${id}/`;
  const [dashboard, setDashboard] = useState<DashboardDetail | null>(null);
  const [grid, setGrid] = useState<Grid>(new Map());
  const [error, setError] = useState('');
  const [live, setLive] = useState(false);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const [newText, setNewText] = useState('');
  const loading = useRef(0);

  // Asks for the dashboard; only the latest answer is shown.
  const load = async (refresh: 'blocking' | 'force_blocking' = 'blocking') => {
    const ticket = ++loading.current;
    try {
      const answer = await api<DashboardDetail>('GET', `${path}?refresh=${refresh}`);
      if (ticket !== loading.current) return;
      setDashboard((previous) => keepUnchanged(previous, answer));
      setGrid(gridOf(answer.tiles));
      setUpdatedAt(new Date());
      setError('');
    } catch (e) {
      if (ticket === loading.current) setError((e as Error).message);
    }
  };
  useEffect(() => { load(); }, [path]);
  useEffect(() => {
    if (!live) return;
    const timer = window.setInterval(() => load(), LIVE_INTERVAL_MS);
    return () => window.clearInterval(timer);
  }, [live, path]);

  // A change to the dashboard, then its tiles again.
  const change = async (body: object) => {
    setError('');
    try {
      await api('PATCH', path, body);
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const saveGrid = async (next: Grid) => {
    setGrid(next);
    const layouts = layoutsOf(next);
    try {
      await api('PATCH', path, { tiles: [...layouts].map(([tile, l]) => ({ id: tile, layouts: l })) });
    } catch (e) {
      setError((e as Error).message);
      await load();
    }
  };
  const addText = async (event: Event) => {
    event.preventDefault();
    if (!newText.trim()) return;
    // Below the others, whose places (some never saved yet) are saved with it.
    const bottom = Math.max(0, ...[...grid.values()].map((b) => b.y + b.h));
    const placed = [...layoutsOf(grid)].map(([tile, layouts]) => ({ id: tile, layouts }));
    await change({ tiles: [...placed, { text: { body: newText },
                                        layouts: { sm: { x: 0, y: bottom, w: 6, h: 2 },
                                                   xs: { x: 0, y: bottom, w: 1, h: 2 } } }] });
    setNewText('');
  };

  if (!dashboard) {
    return (
      <section class="page">
        {error ? <p class="error" role="alert">{error}</p> : <p class="muted">Loading…</p>}
      </section>
    );
  }
  const tiles = new Map(dashboard.tiles.map((tile) => [tile.id, tile]));
  return (
    <section class="page dashboard-page">
      <p><a href="/dashboards">← Dashboards</a></p>
      <h1 data-testid="dashboard-name">{dashboard.name}</h1>
      <div class="controls">
        <button type="button" data-testid="dashboard-refresh"
                onClick={() => load('force_blocking')}>Refresh</button>
        <label class="control live-toggle">
          <input type="checkbox" data-testid="dashboard-live" checked={live}
                 onChange={(e) => setLive((e.target as HTMLInputElement).checked)} />
          <span>Live (every {LIVE_INTERVAL_MS / 1000} s)</span>
        </label>
        {updatedAt && (
          <span class="muted" data-testid="dashboard-updated" aria-live="polite">
            Updated {updatedAt.toLocaleTimeString()}</span>
        )}
      </div>
      <DashboardFilters filters={dashboard.filters ?? {}}
                        onChange={(filters) => change({ filters })} />
      <form class="controls" data-testid="text-tile-form" onSubmit={addText}>
        <textarea name="text_tile_body" aria-label="New text tile" placeholder="Text for a new tile"
                  maxLength={4000} value={newText}
                  onInput={(e) => setNewText((e.target as HTMLTextAreaElement).value)} />
        <button type="submit">Add text</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {dashboard.tiles.length === 0 && <p class="muted">No insights on this dashboard yet.</p>}
      <TileGrid grid={grid} onChange={saveGrid}>
        {(tileId) => {
          const tile = tiles.get(tileId);
          if (!tile) return null;
          return (
            <div data-testid="dashboard-tile">
              {tile.text && (
                <TextTile body={tile.text.body}
                          onSave={(body) => change({ tiles: [{ id: tile.id,
                                                               text: { id: tile.text!.id, body } }] })}
                          onDelete={() => change({ tiles: [{ id: tile.id, deleted: true }] })} />
              )}
              {tile.insight && <InsightTile insight={tile.insight} />}
            </div>
          );
        }}
      </TileGrid>
    </section>
  );
}
