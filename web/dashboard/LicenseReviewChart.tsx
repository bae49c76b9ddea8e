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
import { formatNumber, formatRate, shortDay } from './format.ts';
import type { BoardFilters } from './useMetric.ts';

/**
 * The licence review: decisions per day (approved, rejected, revoked, stacked) with the day's approval rate,
 * and over the range the approval rate, the median time to a decision and the SLA breaches.
 */
export default function LicenseReviewChart({ filters }: { filters: BoardFilters }) {
  const translate = useTranslate();
  const { data, card } = useMetricCard('license-review', filters);
  const rows = (data?.series ?? []).map((d) => ({
    ...d,
    day: shortDay(d.day),
    rate_pct: d.approval_rate === null ? null : +(d.approval_rate * 100).toFixed(1),
  }));
  const t = data?.totals;
  const label = (k: string) => translate(`metrics.review.${k}`);
  return (
    <ChartCard
      {...card}
      title="metrics.review.title"
      subtitle={
        data
          ? translate('metrics.review.subtitle', {
              fast: data.sla.fast_track_hours,
              standard: data.sla.standard_hours,
            })
          : undefined
      }
      figures={
        t
          ? [
              { key: 'approved', label: label('approved'), value: formatNumber(t.approved) },
              { key: 'rejected', label: label('rejected'), value: formatNumber(t.rejected) },
              { key: 'revoked', label: label('revoked'), value: formatNumber(t.revoked) },
              { key: 'approval_rate', label: label('approval_rate'), value: formatRate(t.approval_rate) },
              {
                key: 'median',
                label: label('median'),
                value:
                  t.median_hours_to_decision === null
                    ? '—'
                    : translate('metrics.review.hours', { n: t.median_hours_to_decision.toFixed(1) }),
              },
              { key: 'decided_late', label: label('decided_late'), value: formatNumber(t.decided_late) },
              {
                key: 'pending_breached',
                label: label('pending_breached'),
                value: `${formatNumber(t.pending_breached)} / ${formatNumber(t.pending)}`,
              },
            ]
          : undefined
      }
    >
      {data && (
        <ResponsiveContainer width="100%" height={280}>
          <ComposedChart data={rows}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" fontSize={11} />
            <YAxis yAxisId="n" allowDecimals={false} />
            <YAxis yAxisId="pct" orientation="right" unit="%" domain={[0, 100]} />
            <Tooltip
              formatter={(v, name) =>
                typeof v === 'number' ? (name === label('approval_rate') ? `${v}%` : formatNumber(v)) : '—'
              }
            />
            <Legend verticalAlign="top" />
            <Bar yAxisId="n" dataKey="approved" name={label('approved')} stackId="d" fill="#2e7d32" />
            <Bar yAxisId="n" dataKey="rejected" name={label('rejected')} stackId="d" fill="#d32f2f" />
            <Bar yAxisId="n" dataKey="revoked" name={label('revoked')} stackId="d" fill="#757575" />
            <Line yAxisId="pct" dataKey="rate_pct" name={label('approval_rate')} stroke="#0072B2" />
          </ComposedChart>
        </ResponsiveContainer>
      )}
    </ChartCard>
  );
}
