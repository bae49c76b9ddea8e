import GavelIcon from '@mui/icons-material/Gavel';
import NorthIcon from '@mui/icons-material/North';
import { Box, Chip, Tooltip } from '@mui/material';
import type { MouseEvent } from 'react';
import { Link, useTranslate } from 'react-admin';
import type { AlertRecord, AlertState } from '../../server/alerts/schemas.ts';
import { useEnumLabel } from '../enums/useEnum.ts';

const STATE_COLOR = {
  open: 'primary',
  acknowledged: 'secondary',
  resolved: 'default',
} as const satisfies Record<AlertState, string>;

export const AlertStateChip = ({ state }: { state: AlertState }) => {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      data-testid={`alert-state-${state}`}
      color={STATE_COLOR[state]}
      variant={state === 'resolved' ? 'outlined' : 'filled'}
      label={translate(`resources.alerts.state.${state}`)}
    />
  );
};

/**
 * The alert's escalation now. The compliance committee (the D3 regulatory escalation) stands out in red;
 * an alert raised on arrival to its policy tag's minimum says so, and from what it was sent with.
 */
export const EscalationChip = ({
  alert,
}: {
  alert: Pick<AlertRecord, 'escalation_level' | 'auto_escalated' | 'arrived_escalation' | 'policy_tag'>;
}) => {
  const translate = useTranslate();
  const label = useEnumLabel('escalation_level');
  const level = alert.escalation_level;
  if (level === null) return <span>—</span>;
  const committee = level === 'compliance_committee';
  const chip = (
    <Chip
      size="small"
      data-testid={`escalation-${level}`}
      data-auto={alert.auto_escalated}
      color={committee ? 'error' : level === 'ops_review' ? 'warning' : 'default'}
      variant={committee ? 'filled' : 'outlined'}
      icon={alert.auto_escalated ? <NorthIcon /> : committee ? <GavelIcon /> : undefined}
      sx={committee ? { fontWeight: 'bold' } : undefined}
      label={label(level)}
    />
  );
  return alert.auto_escalated ? (
    <Tooltip
      title={translate('resources.alerts.escalation.auto', {
        from: label(alert.arrived_escalation) || '—',
        tag: alert.policy_tag ?? '—',
      })}
    >
      {chip}
    </Tooltip>
  ) : (
    chip
  );
};

/** how long the alert has been raised (until it was resolved): hours, then days */
export const AlertAge = ({ hours }: { hours: number }) => {
  const translate = useTranslate();
  return (
    <Box component="span" data-testid="alert-age" sx={{ whiteSpace: 'nowrap' }}>
      {hours < 48
        ? translate('resources.alerts.age.hours', { hours: hours.toFixed(1) })
        : translate('resources.alerts.age.days', { days: (hours / 24).toFixed(1) })}
    </Box>
  );
};

/** a link inside a clickable row opens its own page, not the row's */
const stop = (event: MouseEvent) => event.stopPropagation();

/** the task the alert was raised on (the tasks resource shows it) */
export const TaskLink = ({ taskId }: { taskId: string | null }) =>
  taskId === null ? (
    <span>—</span>
  ) : (
    <Link
      to={`/tasks/${encodeURIComponent(taskId)}/show`}
      onClick={stop}
      data-testid="alert-task"
      sx={{ fontFamily: 'monospace' }}
    >
      {taskId}
    </Link>
  );

/** the licence the alert's task ran under, when there is one */
export const LicenseLink = ({ licensePk }: { licensePk: number | null }) =>
  licensePk === null ? (
    <span>—</span>
  ) : (
    <Link to={`/licenses/${licensePk}/show`} onClick={stop} data-testid="alert-license">
      {`lic_${licensePk}`}
    </Link>
  );
