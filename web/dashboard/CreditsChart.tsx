import { useTranslate } from 'react-admin';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartCard, useMetricCard } from './ChartCard.tsx';
import { colorAt, formatNumber, shortDay, tooltipNumber } from './format.ts';
import type { BoardFilters } from './useMetric.ts';

/**
 * Credits per day: estimated (task_start) against spent (task_completed) as lines, tail deductions and
 * rollbacks (posted ledger entries) as bars; the range's totals above.
 */
export default function CreditsChart({ filters }: { filters: BoardFilters }) {
  const translate = useTranslate();
  const { data, card } = useMetricCard('credits', filters);
  const rows = (data?.series ?? []).map((d) => ({ ...d, day: shortDay(d.day) }));
  const t = data?.totals;
  const label = (k: string) => translate(`metrics.credits.${k}`);
  return (
    <ChartCard
      {...card}
      title="metrics.credits.title"
      subtitle={translate('metrics.credits.subtitle')}
      figures={
        t
          ? (
              ['estimated', 'spent', 'tail_deducted', 'rolled_back', 'rollbacks_pending', 'adjusted'] as const
            ).map((k) => ({ key: k, label: label(k), value: formatNumber(t[k]) }))
          : undefined
      }
    >
      {data && (
        <ResponsiveContainer width="100%" height={280}>
          <ComposedChart data={rows}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" fontSize={11} />
            <YAxis tickFormatter={formatNumber} />
            <Tooltip formatter={tooltipNumber} />
            <Legend verticalAlign="top" />
            <Bar dataKey="tail_deducted" name={label('tail_deducted')} fill={colorAt(5)} />
            <Bar dataKey="rolled_back" name={label('rolled_back')} fill={colorAt(2)} />
            <Line dataKey="estimated" name={label('estimated')} stroke={colorAt(0)} dot={false} />
            <Line dataKey="spent" name={label('spent')} stroke={colorAt(1)} dot={false} />
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </ChartCard>
  );
}
