import { Alert, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Link, TopToolbar, useRecordContext, useTranslate } from 'react-admin';
import type { ProposalRecord } from '../../server/enums/schemas.ts';
import type { EnumValueRecord } from '../../server/plan/schemas.ts';
import { ConflictShow } from '../layout/ConflictShow.tsx';
import { formatInstant, ShowSection } from '../layout/ShowSection.tsx';
import { ImpactSummary } from './ImpactSummary.tsx';
import { ActionChip, ApprovalProgress, ProposalStatusChip, useRoleList } from './ProposalChips.tsx';
import { ProposalDecision } from './ProposalDecision.tsx';
import { useEnum } from './useEnum.ts';

const ProposalActions = () => {
  const record = useRecordContext<ProposalRecord>();
  return <TopToolbar>{record && <ProposalDecision proposal={record} />}</TopToolbar>;
};

/** what the proposal sets, beside the table's value as it is now (a new status for deprecate / reactivate) */
const ChangeTable = ({ proposal }: { proposal: ProposalRecord }) => {
  const translate = useTranslate();
  const { values } = useEnum(proposal.enum);
  const now = values?.find((v) => v.code === proposal.code);
  const proposed: Record<string, string | null | undefined> =
    proposal.action === 'deprecate'
      ? { status: 'deprecated' }
      : proposal.action === 'reactivate'
        ? { status: 'active' }
        : proposal.changes;
  const fields = Object.keys(proposed).filter((f) => proposed[f] !== undefined);
  const shown = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? '∅' : v);
  return (
    <Table size="small" data-testid="proposal-change">
      <TableHead>
        <TableRow>
          <TableCell>{translate('enums.proposals.field')}</TableCell>
          {proposal.action !== 'add' && <TableCell>{translate('enums.proposals.now')}</TableCell>}
          <TableCell>{translate('enums.proposals.proposed')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {fields.map((f) => (
          <TableRow key={f} data-testid={`proposal-change-${f}`}>
            <TableCell>{translate(`enums.field.${f}`)}</TableCell>
            {proposal.action !== 'add' && (
              <TableCell>{shown(now?.[f as keyof EnumValueRecord] as string | null | undefined)}</TableCell>
            )}
            <TableCell sx={{ fontWeight: 600 }}>{shown(proposed[f])}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

const ProposalBody = () => {
  const translate = useTranslate();
  const roleList = useRoleList();
  const p = useRecordContext<ProposalRecord>();
  if (!p) return null;
  return (
    <Stack spacing={1} sx={{ pt: 2 }}>
      <ShowSection title="enums.proposals.sections.proposal" testId="proposal-summary">
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
          <Typography variant="h6">#{p.id}</Typography>
          <ActionChip action={p.action} />
          <Link to={`/enums/${p.enum}/show`} style={{ fontFamily: 'monospace' }}>
            {p.enum}
          </Link>
          <Typography sx={{ fontFamily: 'monospace' }}>.{p.code}</Typography>
          <ProposalStatusChip status={p.status} />
        </Stack>
        <Typography variant="body2" sx={{ mt: 1 }}>
          {translate('enums.proposals.by_at', { user: p.proposed_by, at: formatInstant(p.proposed_at) })}
        </Typography>
        <Typography sx={{ whiteSpace: 'pre-wrap', mt: 1 }} data-testid="proposal-rationale">
          {p.rationale}
        </Typography>
      </ShowSection>
      <ShowSection title="enums.proposals.sections.change" testId="proposal-change-section">
        <ChangeTable proposal={p} />
      </ShowSection>
      <ShowSection title="enums.proposals.sections.approvals" testId="proposal-approvals">
        <Typography variant="body2" color="text.secondary">
          {translate('enums.proposals.needs', { roles: roleList(p.approve_roles) })}
        </Typography>
        <ApprovalProgress proposal={p} />
      </ShowSection>
      {p.impact && (
        <ShowSection title="enums.proposals.sections.impact" testId="proposal-impact">
          <ImpactSummary impact={p.impact} />
        </ShowSection>
      )}
      {p.status !== 'pending' && (
        <ShowSection title="enums.proposals.sections.decision" testId="proposal-decision">
          {p.status === 'rejected' ? (
            <Alert severity="error">
              {translate('enums.proposals.rejected_by', {
                user: p.rejected_by ?? '',
                at: p.decided_at ? formatInstant(p.decided_at) : '',
              })}
              : {p.reject_reason}
            </Alert>
          ) : (
            <Alert severity="success">
              {translate('enums.proposals.applied', {
                version: p.applied_version ?? '',
                at: p.decided_at ? formatInstant(p.decided_at) : '',
              })}{' '}
              <Link to={`/enums/${p.enum}/show/history`}>{translate('enums.tabs.history')}</Link>
            </Alert>
          )}
        </ShowSection>
      )}
    </Stack>
  );
};

/**
 * One proposal: what it changes beside the table as it is now, why, who approved it as which role and who is
 * still awaited, its impact while pending (re-read on every visit), and how it was decided.
 */
export const ProposalShow = () => (
  <ConflictShow actions={<ProposalActions />} testId="proposal-conflict">
    <ProposalBody />
  </ConflictShow>
);
