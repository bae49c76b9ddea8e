/** a percentage as shown everywhere on the dashboard: two decimals, e.g. "99.52%" */
export const formatPct = (value: number): string => `${value.toFixed(2)}%`;
