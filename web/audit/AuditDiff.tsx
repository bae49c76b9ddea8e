import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { alpha } from '@mui/material/styles';
import { useTranslate } from 'react-admin';
import { diffRows } from './diff.ts';

/** a value as people read it: text as is, anything else pretty JSON; a side that lacks the field a dash */
const Value = ({ value, absent }: { value: unknown; absent: string }) => {
  if (value === undefined) return <Typography color="text.secondary">{absent}</Typography>;
  if (typeof value === 'string')
    return <Box sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>{value}</Box>;
  return (
    <Box component="pre" sx={{ m: 0, fontSize: 13, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
      {JSON.stringify(value, null, 2)}
    </Box>
  );
};

/** an audit row's before and after as a table of fields, the changed ones highlighted */
export const AuditDiff = ({ before, after }: { before: unknown; after: unknown }) => {
  const translate = useTranslate();
  const rows = diffRows(before, after);
  if (rows.length === 0)
    return <Typography color="text.secondary">{translate('audit.diff.empty')}</Typography>;
  const absent = translate('audit.diff.absent');
  return (
    <Table size="small" data-testid="audit-diff">
      <TableHead>
        <TableRow>
          <TableCell>{translate('audit.diff.key')}</TableCell>
          <TableCell>{translate('audit.diff.before')}</TableCell>
          <TableCell>{translate('audit.diff.after')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((row) => (
          <TableRow
            key={row.key}
            data-testid={`audit-diff-${row.key || 'value'}`}
            data-changed={row.changed}
            sx={row.changed ? { bgcolor: (theme) => alpha(theme.palette.warning.main, 0.16) } : undefined}
          >
            <TableCell sx={{ fontWeight: row.changed ? 'bold' : undefined, verticalAlign: 'top' }}>
              {row.key || translate('audit.diff.value')}
            </TableCell>
            <TableCell sx={{ verticalAlign: 'top' }}>
              <Value value={row.before} absent={absent} />
            </TableCell>
            <TableCell sx={{ verticalAlign: 'top' }}>
              <Value value={row.after} absent={absent} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
