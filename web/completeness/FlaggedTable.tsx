import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { MouseEvent } from 'react';
import { Link, useNavigate, useTranslate } from 'react-admin';
import type { CompletenessEventRow } from '../../server/completeness/schemas.ts';
import { eventsListPath } from '../events/eventsListPath.ts';
import { formatPct } from './format.ts';
import { Section } from './Section.tsx';

const offendingEvents = (row: CompletenessEventRow) =>
  eventsListPath({ event: row.event, day_gte: row.day, day_lte: row.day, has_violation: true });

/** every day × event below its target, latest day first; a row leads to that day's offending events */
export const FlaggedTable = ({ rows }: { rows: CompletenessEventRow[] }) => {
  const translate = useTranslate();
  const navigate = useNavigate();
  const flagged = rows
    .filter((row) => row.below_target)
    .sort((a, b) => b.day.localeCompare(a.day) || a.valid_pct - b.valid_pct);
  return (
    <Section title={translate('completeness.flagged.title')}>
      {flagged.length === 0 ? (
        <Typography color="text.secondary">{translate('completeness.flagged.empty')}</Typography>
      ) : (
        <Table size="small" aria-label={translate('completeness.flagged.title')}>
          <TableHead>
            <TableRow>
              <TableCell>{translate('completeness.table.day')}</TableCell>
              <TableCell>{translate('completeness.table.event')}</TableCell>
              <TableCell align="right">{translate('completeness.table.total')}</TableCell>
              <TableCell align="right">{translate('completeness.table.with_violations')}</TableCell>
              <TableCell align="right">{translate('completeness.table.valid_pct')}</TableCell>
              <TableCell align="right">{translate('completeness.table.target_pct')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {flagged.map((row) => (
              <TableRow
                key={row.id}
                hover
                data-testid={`flagged-row-${row.day}-${row.event}`}
                onClick={() => navigate(offendingEvents(row))}
                sx={{ cursor: 'pointer' }}
              >
                <TableCell>{row.day}</TableCell>
                <TableCell>
                  <Link to={offendingEvents(row)} onClick={(e: MouseEvent) => e.stopPropagation()}>
                    {row.event}
                  </Link>
                </TableCell>
                <TableCell align="right">{row.total}</TableCell>
                <TableCell align="right">{row.with_violations}</TableCell>
                <TableCell align="right" sx={{ color: 'error.main' }}>
                  {formatPct(row.valid_pct)}
                </TableCell>
                <TableCell align="right">
                  {row.target_pct === null ? '—' : formatPct(row.target_pct)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Section>
  );
};
