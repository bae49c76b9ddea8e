import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { HttpError, useDataProvider } from 'react-admin';
import type { ConsoleDataProvider, MetricName } from '../dataProvider.ts';

/** the board's filters: a UTC+8 day range, and optionally a persona and a channel */
export interface BoardFilters {
  from: string;
  to: string;
  persona: string;
  channel: string;
}

/** one chart's figures (GET /api/metrics/<name>), fetched once the chart is on screen */
export function useMetric<N extends MetricName>(name: N, filters: BoardFilters, enabled = true) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  return useQuery({
    queryKey: ['metrics', name, filters],
    queryFn: () => dataProvider.metrics(name, filters),
    enabled,
    // a refusal (4xx: a bad range or filter) answers the same every time: shown at once, not after retries
    retry: (failures, error) => failures < 3 && !(error instanceof HttpError && error.status < 500),
    staleTime: 30_000,
    placeholderData: (previous) => previous,
  });
}

/**
 * Whether an element has come near the viewport (once true, stays true): a chart below the fold asks for its
 * figures only when the reader scrolls to it. Where IntersectionObserver is missing, everything is visible.
 */
export function useSeen<T extends Element>() {
  const ref = useRef<T>(null);
  const [seen, setSeen] = useState(typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    if (seen || !ref.current) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setSeen(true);
      },
      { rootMargin: '200px' },
    );
    observer.observe(ref.current);
    return () => observer.disconnect();
  }, [seen]);
  return { ref, seen };
}
