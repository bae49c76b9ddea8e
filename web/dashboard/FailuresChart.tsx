import { ToggleButton, ToggleButtonGroup } from '@mui/material';
import { useState } from 'react';
import { useTranslate } from 'react-admin';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartCard, useMetricCard } from './ChartCard.tsx';
import { colorAt, formatNumber, shortDay, tooltipNumber } from './format.ts';
import type { BoardFilters } from './useMetric.ts';

type By = 'by_failure_code' | 'by_policy_tag';

/** task_failed per day, stacked by failure_code or by policy_tag (a switch), with each value's total */
export default function FailuresChart({ filters }: { filters: BoardFilters }) {
  const translate = useTranslate();
  const [by, setBy] = useState<By>('by_failure_code');
  const { data, card } = useMetricCard('failures', filters);
  const breakdown = data?.[by];
  const rows = (breakdown?.series ?? []).map((d) => ({ day: shortDay(d.day), ...d.counts }));
  return (
    <ChartCard
      {...card}
      title="metrics.failures.title"
      subtitle={translate('metrics.failures.subtitle')}
      figures={
        data
          ? [
              { key: 'total', label: translate('metrics.failures.total'), value: formatNumber(data.total) },
              ...(breakdown?.keys ?? []).map((k) => ({
                key: `key-${k.key}`,
                label: k.key,
                value: formatNumber(k.total),
              })),
            ]
          : undefined
      }
    >
      <ToggleButtonGroup
        exclusive
        size="small"
        value={by}
        onChange={(_, next: By | null) => next && setBy(next)}
        sx={{ mb: 1 }}
      >
        {(['by_failure_code', 'by_policy_tag'] as const).map((b) => (
          <ToggleButton key={b} value={b} data-testid={`failures-${b}`}>
            {translate(`metrics.failures.${b}`)}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      {breakdown && (
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={rows}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" fontSize={11} />
            <YAxis allowDecimals={false} />
            <Tooltip formatter={tooltipNumber} />
            <Legend verticalAlign="top" />
            {breakdown.keys.map((k, i) => (
              <Bar key={k.key} dataKey={k.key} name={k.key} stackId="f" fill={colorAt(i)} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartCard>
  );
}
