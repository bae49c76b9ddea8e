import { Alert, Box, Button, Chip, TextField as MuiTextField, Paper, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { HttpError, Link, useDataProvider, useTranslate } from 'react-admin';
import type { EnumVersionRecord } from '../../server/enums/schemas.ts';
import type { ConsoleDataProvider } from '../dataProvider.ts';
import { formatInstant } from '../layout/ShowSection.tsx';
import { diffValues, type FieldChange, type ValueDiff } from './diff.ts';
import { EnumValues } from './EnumValues.tsx';

const show = (v: string | null) => (v === null || v === '' ? '∅' : v);

const FieldChanges = ({ changes }: { changes: FieldChange[] }) => {
  const translate = useTranslate();
  return (
    <Stack component="ul" sx={{ m: 0, pl: 2 }}>
      {changes.map((c) => (
        <li key={c.field} data-testid={`diff-field-${c.field}`}>
          <Typography variant="body2" component="span">
            {translate(`enums.field.${c.field}`)}:{' '}
          </Typography>
          <Typography variant="body2" component="del" color="error.main">
            {show(c.before)}
          </Typography>
          {' → '}
          <Typography variant="body2" component="ins" color="success.main" sx={{ textDecoration: 'none' }}>
            {show(c.after)}
          </Typography>
        </li>
      ))}
    </Stack>
  );
};

const DiffLine = ({ diff }: { diff: ValueDiff }) => {
  const translate = useTranslate();
  const color = diff.kind === 'added' ? 'success' : diff.kind === 'removed' ? 'error' : 'info';
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline' }} data-testid={`diff-${diff.code}`}>
      <Chip size="small" color={color} label={translate(`enums.history.${diff.kind}`)} />
      <Typography sx={{ fontFamily: 'monospace' }}>{diff.code}</Typography>
      {diff.kind === 'changed' ? (
        <FieldChanges changes={diff.changes} />
      ) : (
        <Typography variant="body2" color="text.secondary">
          {diff.value.label_en} / {diff.value.label_zh}
        </Typography>
      )}
    </Stack>
  );
};

/** one version of the table: when, by whom, through which proposal, and what it changed from the one before */
const VersionCard = ({ version, previous }: { version: EnumVersionRecord; previous?: EnumVersionRecord }) => {
  const translate = useTranslate();
  const diffs = previous ? diffValues(previous.values, version.values) : [];
  return (
    <Paper variant="outlined" sx={{ p: 1.5 }} data-testid={`enum-version-${version.version}`}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'baseline', flexWrap: 'wrap' }}>
        <Typography variant="subtitle1">
          {translate('enums.history.version', { version: version.version })}
        </Typography>
        <Typography variant="body2">{formatInstant(version.at)}</Typography>
        <Typography variant="body2" color="text.secondary">
          {version.by}
        </Typography>
        {version.proposal_id !== null && (
          <Link to={`/enum-proposals/${version.proposal_id}/show`}>
            {translate('enums.history.proposal', { id: version.proposal_id })}
          </Link>
        )}
      </Stack>
      {previous === undefined ? (
        <Typography variant="body2" color="text.secondary">
          {translate('enums.history.seed', { count: version.values.length })}
        </Typography>
      ) : diffs.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {translate('enums.history.no_change')}
        </Typography>
      ) : (
        <Stack spacing={0.5} sx={{ mt: 1 }}>
          {diffs.map((d) => (
            <DiffLine key={d.code} diff={d} />
          ))}
        </Stack>
      )}
    </Paper>
  );
};

/**
 * A datetime-local input's value read as UTC+8 wall time (the console's day and clock everywhere), as an
 * instant; null when incomplete.
 */
export const instantOf = (local: string) => {
  const t = new Date(`${local}+08:00`);
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(local) && !Number.isNaN(t.getTime())
    ? t.toISOString()
    : null;
};

/** the table as it stood at a chosen moment (GET /api/enums/:name/history?at=) */
const TableAt = ({ name }: { name: string }) => {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [input, setInput] = useState('');
  const [at, setAt] = useState<string | null>(null);
  const { data, error, isFetching } = useQuery({
    queryKey: ['enums', 'at', name, at],
    queryFn: () => dataProvider.enumAt(name, at!),
    enabled: at !== null,
    retry: false,
  });
  const missing = error instanceof HttpError && error.status === 404;
  return (
    <Box data-testid="enum-at">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
        <MuiTextField
          type="datetime-local"
          size="small"
          sx={{ width: 280 }}
          label={translate('enums.history.at')}
          value={input}
          onChange={(e) => setInput(e.target.value)}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { step: 1, 'data-testid': 'enum-at-input' } }}
        />
        <Button
          variant="outlined"
          disabled={instantOf(input) === null || isFetching}
          onClick={() => setAt(instantOf(input))}
          data-testid="enum-at-show"
        >
          {translate('enums.history.show_at')}
        </Button>
      </Stack>
      {missing && <Alert severity="info">{translate('enums.history.none_at')}</Alert>}
      {error && !missing && <Alert severity="error">{error.message}</Alert>}
      {data && at && (
        <Box data-testid="enum-at-table" data-version={data.version}>
          <Typography variant="body2" sx={{ mb: 1 }}>
            {translate('enums.history.in_force', {
              version: data.version,
              at: formatInstant(at),
              since: formatInstant(data.at),
            })}
          </Typography>
          <EnumValues values={data.values} name={name} />
        </Box>
      )}
    </Box>
  );
};

/**
 * Every version of an enum's table, newest first, each with what it changed from the one before (values
 * added; fields changed, before → after), and the whole table as it stood at any moment one picks.
 */
export const EnumHistory = ({ name }: { name: string }) => {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const { data, error, isPending } = useQuery({
    queryKey: ['enums', 'history', name],
    queryFn: () => dataProvider.enumHistory(name),
  });
  if (isPending) return <Typography>{translate('ra.page.loading')}</Typography>;
  if (error) return <Alert severity="error">{error.message}</Alert>;
  const ordered = [...data].sort((a, b) => a.version - b.version);
  return (
    <Stack spacing={2} data-testid="enum-history">
      <TableAt name={name} />
      {ordered
        .map((version, i) => <VersionCard key={version.id} version={version} previous={ordered[i - 1]} />)
        .reverse()}
    </Stack>
  );
};
