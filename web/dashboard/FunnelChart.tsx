import { Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { useTranslate } from 'react-admin';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartCard, useMetricCard } from './ChartCard.tsx';
import { colorAt, formatNumber, formatRate, tooltipNumber } from './format.ts';
import type { BoardFilters } from './useMetric.ts';

/**
 * The funnel landing_view → … → task_completed over the range: per step its events and its distinct actors
 * per day summed (users, accounts, or none where the events carry no id — the table says which), and the
 * conversion from the step before (by actors where both steps have them, else by events).
 */
export default function FunnelChart({ filters }: { filters: BoardFilters }) {
  const translate = useTranslate();
  const { data, card } = useMetricCard('funnel', filters);
  const rows = (data?.steps ?? []).map((s) => ({
    ...s,
    label: translate(`metrics.funnel.steps.${s.step}`),
    actors: s.actor_days,
  }));
  return (
    <ChartCard
      {...card}
      title="metrics.funnel.title"
      subtitle={translate('metrics.funnel.subtitle')}
      figures={
        data
          ? [
              {
                key: 'overall',
                label: translate('metrics.funnel.overall'),
                value: formatRate(
                  rows[0]?.events ? (rows[rows.length - 1]?.events ?? 0) / rows[0].events : null,
                ),
              },
            ]
          : undefined
      }
    >
      {data && (
        <>
          <ResponsiveContainer width="100%" height={260}>
            <BarChart data={rows} margin={{ bottom: 30 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" interval={0} fontSize={11} angle={-15} textAnchor="end" />
              <YAxis tickFormatter={formatNumber} />
              <Tooltip formatter={tooltipNumber} />
              <Legend verticalAlign="top" />
              <Bar dataKey="events" name={translate('metrics.funnel.events')} fill={colorAt(0)} />
              <Bar dataKey="actors" name={translate('metrics.funnel.actors')} fill={colorAt(1)} />
            </BarChart>
          </ResponsiveContainer>
          <Table size="small">
            <TableHead>
              <TableRow>
                {['step', 'unit', 'events', 'actors', 'conversion'].map((k) => (
                  <TableCell key={k} align={k === 'step' || k === 'unit' ? 'left' : 'right'}>
                    {translate(`metrics.funnel.columns.${k}`)}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((r) => (
                <TableRow key={r.step} data-testid={`funnel-${r.step}`}>
                  <TableCell>{r.label}</TableCell>
                  <TableCell>{translate(`metrics.funnel.units.${r.unit}`)}</TableCell>
                  <TableCell align="right" data-testid={`funnel-${r.step}-events`}>
                    {formatNumber(r.events)}
                  </TableCell>
                  <TableCell align="right">{formatNumber(r.actor_days)}</TableCell>
                  <TableCell align="right" data-testid={`funnel-${r.step}-conversion`}>
                    {formatRate(r.conversion)}
                    {r.conversion_basis && ` (${translate(`metrics.funnel.basis.${r.conversion_basis}`)})`}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </ChartCard>
  );
}
