import { Box, Typography, useTheme } from '@mui/material';
import { useNavigate, useTranslate } from 'react-admin';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { CompletenessEventRow, CompletenessFieldRow } from '../../server/completeness/schemas.ts';
import { eventsListPath } from '../events/eventsListPath.ts';
import { byDay, byEvent, FIELD_RULES, type FieldRule, violationsByField } from './aggregate.ts';
import type { DayRange } from './days.ts';
import { formatPct } from './format.ts';
import { Section } from './Section.tsx';

/** how many of the most violated fields the stacked bar shows */
const TOP_FIELDS = 12;
const HEIGHT = 300;

/** a y axis for percentages that starts just under the lowest value, so 99.2% and 99.9% look different */
const pctDomain: [(min: number) => number, number] = [(min) => Math.max(0, Math.floor(min) - 1), 100];
const pctAxis = { domain: pctDomain, allowDecimals: false, tickFormatter: (value: number) => `${value}%` };
const pctTooltip = (value: unknown) => (typeof value === 'number' ? formatPct(value) : String(value));

interface ChartsProps {
  events: CompletenessEventRow[];
  fields: CompletenessFieldRow[];
  range: DayRange;
}

/** The dashboard's charts, in their own module so recharts loads after the figures. */
export const CompletenessCharts = ({ events, fields, range }: ChartsProps) => (
  <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' } }}>
    <ValidByEventChart events={events} range={range} />
    <DailyTrendChart events={events} />
    <Box sx={{ gridColumn: '1 / -1' }}>
      <ViolationsByFieldChart fields={fields} range={range} />
    </Box>
  </Box>
);

const ValidByEventChart = ({ events, range }: { events: CompletenessEventRow[]; range: DayRange }) => {
  const translate = useTranslate();
  const navigate = useNavigate();
  const theme = useTheme();
  const data = byEvent(events).filter((row) => row.planned);
  return (
    <Section title={translate('completeness.charts.valid_by_event')}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <ComposedChart data={data} margin={{ bottom: 60 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="event" angle={-35} textAnchor="end" interval={0} fontSize={12} />
          <YAxis {...pctAxis} />
          <Tooltip formatter={pctTooltip} />
          <Bar
            dataKey="valid_pct"
            name={translate('completeness.charts.valid_pct')}
            cursor="pointer"
            onClick={(_, index) => {
              const row = data[index];
              if (row) {
                navigate(
                  eventsListPath({
                    event: row.event,
                    day_gte: range.from,
                    day_lte: range.to,
                    has_violation: true,
                  }),
                );
              }
            }}
          >
            {data.map((row) => (
              <Cell
                key={row.event}
                fill={row.below_target ? theme.palette.error.main : theme.palette.success.main}
              />
            ))}
          </Bar>
          <Line
            dataKey="target_pct"
            name={translate('completeness.charts.target')}
            stroke={theme.palette.text.primary}
            strokeDasharray="5 5"
            dot={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </Section>
  );
};

const DailyTrendChart = ({ events }: { events: CompletenessEventRow[] }) => {
  const translate = useTranslate();
  const theme = useTheme();
  return (
    <Section title={translate('completeness.charts.daily_trend')}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={byDay(events)} margin={{ bottom: 60 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" fontSize={12} />
          <YAxis {...pctAxis} />
          <Tooltip formatter={pctTooltip} />
          <Line
            dataKey="valid_pct"
            name={translate('completeness.charts.valid_pct')}
            stroke={theme.palette.primary.main}
            strokeWidth={2}
          />
        </LineChart>
      </ResponsiveContainer>
    </Section>
  );
};

const ViolationsByFieldChart = ({ fields, range }: { fields: CompletenessFieldRow[]; range: DayRange }) => {
  const translate = useTranslate();
  const navigate = useNavigate();
  const theme = useTheme();
  const data = violationsByField(fields)
    .slice(0, TOP_FIELDS)
    .map((row) => ({ ...row, label: `${row.event}.${row.field}` }));
  // PII and a missed escalation are the high-risk rules (red), an unknown enum code medium (amber)
  const colors: Record<FieldRule, string> = {
    missing: theme.palette.info.main,
    wrong_type: theme.palette.text.secondary,
    out_of_enum: theme.palette.warning.main,
    pii: theme.palette.error.main,
    escalation_below_policy: theme.palette.error.dark,
  };
  return (
    <Section title={translate('completeness.charts.violations_by_field')}>
      {data.length === 0 ? (
        <Typography color="text.secondary">{translate('completeness.charts.no_violations')}</Typography>
      ) : (
        <ResponsiveContainer width="100%" height={Math.max(HEIGHT, data.length * 32)}>
          <BarChart data={data} layout="vertical">
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="label" width={220} fontSize={12} />
            <Tooltip />
            <Legend />
            {FIELD_RULES.map((rule) => (
              <Bar
                key={rule}
                dataKey={rule}
                stackId="violations"
                name={translate(`rules.${rule}`)}
                fill={colors[rule]}
                cursor="pointer"
                onClick={(_, index) => {
                  const row = data[index];
                  if (row) {
                    navigate(
                      eventsListPath({
                        event: row.event,
                        field: row.field,
                        rule,
                        day_gte: range.from,
                        day_lte: range.to,
                      }),
                    );
                  }
                }}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      )}
    </Section>
  );
};
