// The colours of a chart's lines: PostHog's data colour tokens ("preset-1" … "preset-15"), each
// standing for one colour of the palette. A line without a chosen token takes the palette's
// colour at its place.
export const PALETTE = ['#1d4aff', '#621da6', '#42827e', '#ce0e74', '#f14f58', '#7c440e',
                        '#529a0a', '#0476fb', '#fe729e', '#35416b', '#41cbc4', '#b64b02',
                        '#e4a604', '#a56eff', '#30d5c8'];

export type ColorToken = `preset-${number}`;

export const COLOR_TOKENS: ColorToken[] = PALETTE.map((_, i) => `preset-${i + 1}` as ColorToken);

export function isColorToken(value: unknown): value is ColorToken {
  return typeof value === 'string' && (COLOR_TOKENS as string[]).includes(value);
}

export function colorOfToken(token: ColorToken): string {
  return PALETTE[Number(token.slice('preset-'.length)) - 1];
}

// The colour of the line at `index` when none is chosen.
export function defaultColor(index: number): string {
  return PALETTE[index % PALETTE.length];
}

// The colour line `index` is drawn in: `colors[index]` when given, else its place's.
export function colorAt(index: number, colors?: (string | undefined)[]): string {
  return colors?.[index] ?? defaultColor(index);
}
