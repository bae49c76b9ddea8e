import { Stack, Table, TableBody, TableCell, TableRow, Typography } from '@mui/material';
import { Link, useTranslate } from 'react-admin';
import type { Impact } from '../../server/enums/schemas.ts';
import { formatInstant } from '../layout/ShowSection.tsx';

/** at most this many licence / alert links are listed; the totals count them all */
const LINKS = 10;

const Ids = ({ ids, total, resource }: { ids: number[]; total: number; resource: string }) => (
  <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap' }}>
    {ids.slice(0, LINKS).map((id) => (
      <Link key={id} to={`/${resource}/${id}/show`}>
        #{id}
      </Link>
    ))}
    {total > Math.min(ids.length, LINKS) && <span>…</span>}
  </Stack>
);

/**
 * A proposal's impact if approved now: stored events of the window (the last 7 days) that carry the value,
 * how many of them would turn valid or invalid, and the open licences and alerts that use the value.
 */
export const ImpactSummary = ({ impact }: { impact: Impact }) => {
  const translate = useTranslate();
  const rows: Array<[string, React.ReactNode, string]> = [
    ['events_using', impact.events_using.toLocaleString(), 'impact-events-using'],
    ['becoming_valid', impact.becoming_valid.toLocaleString(), 'impact-becoming-valid'],
    ['becoming_invalid', impact.becoming_invalid.toLocaleString(), 'impact-becoming-invalid'],
    [
      'licenses',
      <Stack key="l" direction="row" spacing={1}>
        <span>{impact.licenses.total}</span>
        <Ids ids={impact.licenses.ids} total={impact.licenses.total} resource="licenses" />
      </Stack>,
      'impact-licenses',
    ],
    [
      'alerts',
      <Stack key="a" direction="row" spacing={1}>
        <span>{impact.alerts.total}</span>
        <Ids ids={impact.alerts.ids} total={impact.alerts.total} resource="alerts" />
      </Stack>,
      'impact-alerts',
    ],
  ];
  return (
    <Stack spacing={0.5} data-testid="impact">
      <Typography variant="body2" color="text.secondary">
        {translate('enums.impact.window', { from: formatInstant(impact.window_from) })}
      </Typography>
      <Table size="small">
        <TableBody>
          {rows.map(([key, value, testId]) => (
            <TableRow key={key}>
              <TableCell>{translate(`enums.impact.${key}`)}</TableCell>
              <TableCell align="right" data-testid={testId}>
                {value}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Stack>
  );
};
