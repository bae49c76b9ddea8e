import FiberManualRecordIcon from '@mui/icons-material/FiberManualRecord';
import { Chip } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { LiveStatus } from './useCompletenessStream.ts';

const COLOR = { connecting: 'default', live: 'success', reconnecting: 'warning' } as const;

export const LiveIndicator = ({ status }: { status: LiveStatus }) => {
  const translate = useTranslate();
  return (
    <Chip
      data-testid="live-status"
      data-status={status}
      size="small"
      variant="outlined"
      color={COLOR[status]}
      icon={<FiberManualRecordIcon fontSize="small" />}
      label={translate(`completeness.live.${status}`)}
    />
  );
};
