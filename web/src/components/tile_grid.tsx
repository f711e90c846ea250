// The dashboard's grid of tiles: each tile drawn at its sm box (12 columns, ROW_HEIGHT pixels a
// row), moved by dragging its handle and resized by dragging its corner (pointer events; or
// with the keyboard: arrows move the focused handle, Shift+arrows resize). The other tiles make
// way while a tile moves; `onChange` gets the new grid once the pointer is released. Narrow
// screens stack the tiles in one column (the xs layout). No dependency: positions are inline
// styles computed from the boxes.
import { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { Box, COLUMNS, Grid, moved, sameGrid } from '../grid_layout';

export const ROW_HEIGHT = 80;

interface Drag {
  id: number;
  mode: 'move' | 'resize';
  pointerX: number;
  pointerY: number;
  origin: Box;
}

export function TileGrid({ grid, onChange, children }: {
  grid: Grid;
  onChange: (grid: Grid) => void;
  children: (id: number) => ComponentChildren;
}) {
  const container = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [preview, setPreview] = useState<Grid | null>(null);
  const shown = preview ?? grid;
  const rows = Math.max(1, ...[...shown.values()].map((b) => b.y + b.h));

  const begin = (id: number, mode: Drag['mode']) => (event: PointerEvent) => {
    if (event.button !== 0) return;
    event.preventDefault();
    (event.currentTarget as Element).setPointerCapture(event.pointerId);
    setDrag({ id, mode, pointerX: event.clientX, pointerY: event.clientY, origin: grid.get(id)! });
    setPreview(grid);
  };
  const follow = (event: PointerEvent) => {
    if (!drag || !container.current) return;
    const columnWidth = container.current.clientWidth / COLUMNS;
    const dx = Math.round((event.clientX - drag.pointerX) / columnWidth);
    const dy = Math.round((event.clientY - drag.pointerY) / ROW_HEIGHT);
    const change = drag.mode === 'move'
      ? { x: drag.origin.x + dx, y: drag.origin.y + dy }
      : { w: drag.origin.w + dx, h: drag.origin.h + dy };
    setPreview(moved(grid, drag.id, change));
  };
  const end = () => {
    if (!drag) return;
    const result = preview;
    setDrag(null);
    setPreview(null);
    if (result && !sameGrid(result, grid)) onChange(result);
  };
  const keys = (id: number) => (event: KeyboardEvent) => {
    const step: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1],
    };
    const delta = step[event.key];
    const box = grid.get(id);
    if (!delta || !box) return;
    event.preventDefault();
    const change = event.shiftKey ? { w: box.w + delta[0], h: box.h + delta[1] }
      : { x: box.x + delta[0], y: box.y + delta[1] };
    const next = moved(grid, id, change);
    if (!sameGrid(next, grid)) onChange(next);
  };

  return (
    <div class="tile-grid" ref={container} data-testid="tile-grid"
         style={{ height: `${rows * ROW_HEIGHT}px` }}
         onPointerMove={follow} onPointerUp={end} onPointerCancel={end}>
      {[...shown.entries()].map(([id, box]) => (
        <div key={id} class={`grid-tile${drag?.id === id ? ' dragging' : ''}`}
             data-testid="grid-tile" data-tile-id={id}
             data-x={box.x} data-y={box.y} data-w={box.w} data-h={box.h}
             style={{
               left: `${(box.x / COLUMNS) * 100}%`,
               width: `${(box.w / COLUMNS) * 100}%`,
               top: `${box.y * ROW_HEIGHT}px`,
               height: `${box.h * ROW_HEIGHT}px`,
             }}>
          <div class="tile">
            <button type="button" class="tile-handle" data-testid="tile-drag"
                    aria-label="Move tile (arrow keys move, Shift+arrow keys resize)"
                    title="Drag to move" onPointerDown={begin(id, 'move')} onKeyDown={keys(id)}>
              ⠿
            </button>
            <div class="tile-body">{children(id)}</div>
            <span class="tile-resize" data-testid="tile-resize" aria-hidden="true"
                  title="Drag to resize" onPointerDown={begin(id, 'resize')} />
          </div>
        </div>
      ))}
    </div>
  );
}
