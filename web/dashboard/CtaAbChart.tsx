import { FormControlLabel, Switch, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { useState } from 'react';
import { useTranslate } from 'react-admin';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useEnum } from '../enums/useEnum.ts';
import { ChartCard, useMetricCard } from './ChartCard.tsx';
import { colorAt, formatNumber, formatRate } from './format.ts';
import type { BoardFilters } from './useMetric.ts';

/**
 * CTA A/B: click-through per ab_bucket and cta_id — distinct users clicking the CTA over distinct users who
 * saw the first screen in the bucket (user-days over the range). A click counts under the clicking user's
 * latest bucket; clicks from users never seen in a landing_view go to "(unknown)".
 */
export default function CtaAbChart({ filters }: { filters: BoardFilters }) {
  const translate = useTranslate();
  const { data, card } = useMetricCard('cta-ab', filters);
  const [all, setAll] = useState(false);
  const { values: bucketValues } = useEnum('ab_bucket');
  const { values: ctaValues } = useEnum('cta_id');
  // the experiment is the planned buckets × the planned CTAs; values outside the enums (bad events, clicks of
  // users never seen on the first screen) are counted too, listed on demand
  const planned = (c: { ab_bucket: string; cta_id: string }) =>
    (bucketValues ?? []).some((v) => v.code === c.ab_bucket) &&
    (ctaValues ?? []).some((v) => v.code === c.cta_id);
  const everything = data?.cells ?? [];
  const cells = everything.filter(planned);
  const others = everything.filter((c) => !planned(c));
  const listed = all ? everything : cells;
  const buckets = [...new Set(cells.map((c) => c.ab_bucket))].sort();
  const ctas = [...new Set(cells.map((c) => c.cta_id))].sort();
  // one bar group per bucket, one bar per CTA, its height the click-through in percent
  const rows = buckets.map((b) => ({
    bucket: b,
    ...Object.fromEntries(
      ctas.map((cta) => {
        const cell = cells.find((c) => c.ab_bucket === b && c.cta_id === cta);
        return [cta, cell?.ctr === null || cell?.ctr === undefined ? null : +(cell.ctr * 100).toFixed(2)];
      }),
    ),
  }));
  return (
    <ChartCard {...card} title="metrics.cta_ab.title" subtitle={translate('metrics.cta_ab.subtitle')}>
      {data && (
        <>
          <ResponsiveContainer width="100%" height={240}>
            <BarChart data={rows}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="bucket" />
              <YAxis unit="%" />
              <Tooltip formatter={(v) => (typeof v === 'number' ? `${v.toFixed(2)}%` : '—')} />
              <Legend verticalAlign="top" />
              {ctas.map((cta, i) => (
                <Bar key={cta} dataKey={cta} name={cta} fill={colorAt(i)} />
              ))}
            </BarChart>
          </ResponsiveContainer>
          <Table size="small">
            <TableHead>
              <TableRow>
                {['ab_bucket', 'cta_id', 'views', 'clicks', 'ctr'].map((k) => (
                  <TableCell key={k} align={k === 'ab_bucket' || k === 'cta_id' ? 'left' : 'right'}>
                    {translate(`metrics.cta_ab.columns.${k}`)}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {listed.map((c) => (
                <TableRow key={`${c.ab_bucket}|${c.cta_id}`} data-testid={`ab-${c.ab_bucket}-${c.cta_id}`}>
                  <TableCell>{c.ab_bucket}</TableCell>
                  <TableCell>{c.cta_id}</TableCell>
                  <TableCell align="right">{formatNumber(c.views)}</TableCell>
                  <TableCell align="right">{formatNumber(c.clicks)}</TableCell>
                  <TableCell align="right" data-testid={`ab-${c.ab_bucket}-${c.cta_id}-ctr`}>
                    {formatRate(c.ctr)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {others.length > 0 && (
            <FormControlLabel
              control={<Switch size="small" checked={all} onChange={(e) => setAll(e.target.checked)} />}
              label={translate('metrics.cta_ab.others', {
                n: others.length,
                clicks: others.reduce((sum, c) => sum + c.clicks, 0).toLocaleString(),
              })}
              data-testid="ab-others"
            />
          )}
        </>
      )}
    </ChartCard>
  );
}
