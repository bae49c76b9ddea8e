import { Chip, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import { Link, useTranslate } from 'react-admin';
import { eventsListPath } from '../events/eventsListPath.ts';
import type { EventSummary } from './aggregate.ts';
import type { DayRange } from './days.ts';
import { formatPct } from './format.ts';
import { Section } from './Section.tsx';

const COUNTS = ['total', 'valid', 'with_violations', 'duplicates'] as const;

/** one row per event over the range; the event name leads to its offending events */
export const EventTable = ({ rows, range }: { rows: EventSummary[]; range: DayRange }) => {
  const translate = useTranslate();
  return (
    <Section title={translate('completeness.table.title')}>
      <Table size="small" aria-label={translate('completeness.table.title')}>
        <TableHead>
          <TableRow>
            <TableCell>{translate('completeness.table.event')}</TableCell>
            {COUNTS.map((key) => (
              <TableCell key={key} align="right">
                {translate(`completeness.table.${key}`)}
              </TableCell>
            ))}
            <TableCell align="right">{translate('completeness.table.valid_pct')}</TableCell>
            <TableCell align="right">{translate('completeness.table.target_pct')}</TableCell>
            <TableCell>{translate('completeness.table.status')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={row.event} data-testid={`completeness-row-${row.event}`}>
              <TableCell>
                <Link
                  to={eventsListPath({
                    event: row.event,
                    day_gte: range.from,
                    day_lte: range.to,
                    has_violation: true,
                  })}
                >
                  {row.event}
                </Link>
              </TableCell>
              {COUNTS.map((key) => (
                <TableCell key={key} align="right" data-testid={key}>
                  {row[key]}
                </TableCell>
              ))}
              <TableCell align="right" data-testid="valid_pct">
                {formatPct(row.valid_pct)}
              </TableCell>
              <TableCell align="right" data-testid="target_pct">
                {row.target_pct === null ? '—' : formatPct(row.target_pct)}
              </TableCell>
              <TableCell>
                <StatusChip row={row} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Section>
  );
};

const StatusChip = ({ row }: { row: EventSummary }) => {
  const translate = useTranslate();
  if (!row.planned) return <Chip size="small" label={translate('completeness.table.unplanned')} />;
  return row.below_target ? (
    <Chip size="small" color="error" label={translate('completeness.table.below_target')} />
  ) : (
    <Chip size="small" color="success" variant="outlined" label={translate('completeness.table.on_target')} />
  );
};
