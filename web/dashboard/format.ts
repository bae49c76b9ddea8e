/** a share in [0, 1] as a percentage with one decimal; — when there is none (a zero denominator) */
export const formatRate = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;

/** a count or an amount, grouped, at most two decimals */
export const formatNumber = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** a day YYYY-MM-DD as the axis shows it: MM-DD */
export const shortDay = (day: string) => day.slice(5);

/** recharts' tooltip formatter for counts and amounts */
export const tooltipNumber = (value: unknown) =>
  typeof value === 'number' ? formatNumber(value) : String(value);

/** a qualitative palette (colour-blind safe: Okabe–Ito), for series without a meaning of their own */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
];
export const colorAt = (i: number) => PALETTE[i % PALETTE.length]!;
