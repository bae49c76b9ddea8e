import { Box, Chip, Tooltip } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { TaskRecord, TaskStatus } from '../../server/tasks/schemas.ts';
import { formatCredits } from '../ledger/format.ts';

const STATUS_COLOR = {
  queued: 'info',
  succeeded: 'success',
  failed: 'error',
  stale: 'warning',
} as const satisfies Record<TaskStatus, string>;

/** a task's status; stale (started long ago, no outcome) explains itself on hover */
export const TaskStatusChip = ({ status }: { status: TaskStatus }) => {
  const translate = useTranslate();
  return (
    <Tooltip title={status === 'stale' ? translate('resources.tasks.stale_help') : ''}>
      <Chip
        size="small"
        data-testid={`task-status-${status}`}
        color={STATUS_COLOR[status]}
        variant={status === 'queued' ? 'outlined' : 'filled'}
        label={translate(`resources.tasks.status.${status}`)}
      />
    </Tooltip>
  );
};

/** run time as people read it: ms under a second, seconds under a minute, then minutes and seconds */
export function useFormatDuration() {
  const translate = useTranslate();
  return (ms: number | null) => {
    if (ms === null) return '—';
    if (ms < 1000) return translate('resources.tasks.duration.ms', { ms });
    const seconds = ms / 1000;
    if (seconds < 60) return translate('resources.tasks.duration.seconds', { seconds: seconds.toFixed(1) });
    return translate('resources.tasks.duration.minutes', {
      minutes: Math.floor(seconds / 60),
      seconds: Math.round(seconds % 60),
    });
  };
}

/** credits spent against the estimate: amber when the run cost more than was estimated */
export const SpentCredits = ({ task }: { task: Pick<TaskRecord, 'credits_spent' | 'estimated_credits'> }) => {
  const translate = useTranslate();
  const { credits_spent: spent, estimated_credits: estimated } = task;
  if (spent === null) return <span>—</span>;
  const over = estimated !== null && spent > estimated;
  return (
    <Tooltip
      title={over ? translate('resources.tasks.over_estimate', { estimated: formatCredits(estimated) }) : ''}
    >
      <Box
        component="span"
        data-testid="task-spent"
        data-over={over}
        sx={{ color: over ? 'warning.dark' : undefined, fontWeight: over ? 'bold' : undefined }}
      >
        {formatCredits(spent)}
      </Box>
    </Tooltip>
  );
};

/** how many of the task's risk alerts are not resolved: a red count, or a dash */
export const OpenAlerts = ({ count }: { count: number }) =>
  count > 0 ? (
    <Chip size="small" color="error" data-testid="task-open-alerts" label={count} />
  ) : (
    <span>—</span>
  );
