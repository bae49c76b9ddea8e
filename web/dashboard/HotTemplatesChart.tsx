import { Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { useTranslate } from 'react-admin';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartCard, useMetricCard } from './ChartCard.tsx';
import { colorAt, formatNumber, tooltipNumber } from './format.ts';
import type { BoardFilters } from './useMetric.ts';

/** how many templates the bar chart shows (the table lists all the answer's, at most 20) */
const BARS = 10;

/** the most viewed templates in the heatmap, their mean position, and their licence applies and approvals */
export default function HotTemplatesChart({ filters }: { filters: BoardFilters }) {
  const translate = useTranslate();
  const { data, card } = useMetricCard('hot-templates', filters);
  const templates = data?.templates ?? [];
  return (
    <ChartCard
      {...card}
      title="metrics.hot_templates.title"
      subtitle={translate('metrics.hot_templates.subtitle')}
    >
      {data && (
        <>
          <ResponsiveContainer width="100%" height={240}>
            <BarChart data={templates.slice(0, BARS)} margin={{ bottom: 30 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="template_id" interval={0} fontSize={11} angle={-20} textAnchor="end" />
              <YAxis tickFormatter={formatNumber} />
              <Tooltip formatter={tooltipNumber} />
              <Legend verticalAlign="top" />
              <Bar
                dataKey="views"
                name={translate('metrics.hot_templates.columns.views')}
                fill={colorAt(0)}
              />
              <Bar
                dataKey="applies"
                name={translate('metrics.hot_templates.columns.applies')}
                fill={colorAt(1)}
              />
              <Bar
                dataKey="approvals"
                name={translate('metrics.hot_templates.columns.approvals')}
                fill={colorAt(2)}
              />
            </BarChart>
          </ResponsiveContainer>
          <Table size="small">
            <TableHead>
              <TableRow>
                {['rank', 'template_id', 'views', 'mean_position', 'applies', 'approvals'].map((k) => (
                  <TableCell key={k} align={k === 'template_id' ? 'left' : 'right'}>
                    {translate(`metrics.hot_templates.columns.${k}`)}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {templates.map((t) => (
                <TableRow key={t.template_id} data-testid={`template-${t.template_id}`}>
                  <TableCell align="right">{t.rank}</TableCell>
                  <TableCell sx={{ fontFamily: 'monospace' }}>{t.template_id}</TableCell>
                  <TableCell align="right">{formatNumber(t.views)}</TableCell>
                  <TableCell align="right">
                    {t.mean_position === null ? '—' : t.mean_position.toFixed(1)}
                  </TableCell>
                  <TableCell align="right">{formatNumber(t.applies)}</TableCell>
                  <TableCell align="right">{formatNumber(t.approvals)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </ChartCard>
  );
}
