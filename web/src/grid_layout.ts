// The dashboard grid's geometry, in PostHog's shape: each tile's `layouts` holds an `sm` box
// (12 columns, the desktop grid) and an `xs` box (1 column, the narrow one), in grid units.
// Pure functions: placing tiles that have no box yet, moving and resizing one tile, and vertical
// compaction (every tile as high as it can go without overlapping another), as PostHog's grid
// does it.

export const COLUMNS = 12;
export const MIN_W = 2;
export const MIN_H = 2;
// Where a tile without a box goes: half the width, five rows high, two to a row.
const DEFAULT_W = 6;
const DEFAULT_H = 5;

export interface Box { x: number; y: number; w: number; h: number }
export interface TileLayouts { sm?: Box; xs?: Box; [size: string]: Box | undefined }
export type Grid = Map<number, Box>;  // tile id → its sm box

function isBox(value: unknown): value is Box {
  const box = value as Box;
  return !!box && [box.x, box.y, box.w, box.h].every((n) => Number.isFinite(n));
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function clamp(box: Box): Box {
  const w = Math.min(COLUMNS, Math.max(MIN_W, Math.round(box.w)));
  const h = Math.max(MIN_H, Math.round(box.h));
  const x = Math.min(COLUMNS - w, Math.max(0, Math.round(box.x)));
  const y = Math.max(0, Math.round(box.y));
  return { x, y, w, h };
}

// Reading order: top to bottom, then left to right (the order the server serves tiles in).
function byPosition(grid: Grid): number[] {
  return [...grid.keys()].sort((a, b) => {
    const p = grid.get(a)!;
    const q = grid.get(b)!;
    return p.y - q.y || p.x - q.x || a - b;
  });
}

// Moves every tile up as far as it goes, in reading order, none overlapping another. `first`
// (a tile just moved or resized) comes before every tile below it or in its way, so those make
// way for it.
export function compact(grid: Grid, first?: number): Grid {
  const order = byPosition(grid).filter((id) => id !== first);
  const target = first !== undefined ? grid.get(first) : undefined;
  if (first !== undefined && target) {
    const at = order.findIndex((id) => {
      const box = grid.get(id)!;
      return box.y >= target.y || overlaps(box, target);
    });
    order.splice(at < 0 ? order.length : at, 0, first);
  }
  const placed: Box[] = [];
  const result: Grid = new Map();
  for (const id of order) {
    const box = { ...grid.get(id)! };
    while (box.y > 0 && !placed.some((other) => overlaps({ ...box, y: box.y - 1 }, other))) {
      box.y -= 1;
    }
    while (placed.some((other) => overlaps(box, other))) box.y += 1;
    placed.push(box);
    result.set(id, box);
  }
  return result;
}

// The grid of `tiles`: their stored sm boxes, and boxes for those without one after the others.
export function gridOf(tiles: { id: number; layouts?: TileLayouts | null }[]): Grid {
  const grid: Grid = new Map();
  const unplaced: number[] = [];
  for (const tile of tiles) {
    const sm = tile.layouts?.sm;
    if (isBox(sm)) grid.set(tile.id, clamp(sm));
    else unplaced.push(tile.id);
  }
  let bottom = Math.max(0, ...[...grid.values()].map((b) => b.y + b.h));
  unplaced.forEach((id, i) => {
    grid.set(id, { x: (i % 2) * DEFAULT_W, y: bottom, w: DEFAULT_W, h: DEFAULT_H });
    if (i % 2 === 1) bottom += DEFAULT_H;
  });
  return compact(grid);
}

// The grid with tile `id` moved to (x, y) or resized to (w, h), the others making way.
export function moved(grid: Grid, id: number, change: Partial<Box>): Grid {
  const box = grid.get(id);
  if (!box) return grid;
  const next: Grid = new Map(grid);
  next.set(id, clamp({ ...box, ...change }));
  return compact(next, id);
}

// PostHog's `layouts` of every tile: the sm box, and an xs box stacking the tiles in reading
// order in one column.
export function layoutsOf(grid: Grid): Map<number, TileLayouts> {
  const result = new Map<number, TileLayouts>();
  let y = 0;
  for (const id of byPosition(grid)) {
    const sm = grid.get(id)!;
    result.set(id, { sm: { ...sm }, xs: { x: 0, y, w: 1, h: sm.h } });
    y += sm.h;
  }
  return result;
}

export function sameGrid(a: Grid, b: Grid): boolean {
  if (a.size !== b.size) return false;
  for (const [id, box] of a) {
    const other = b.get(id);
    if (!other || other.x !== box.x || other.y !== box.y || other.w !== box.w || other.h !== box.h) {
      return false;
    }
  }
  return true;
}
