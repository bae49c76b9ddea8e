import { Chip } from '@mui/material';
import { useTranslate } from 'react-admin';

export const WriteKeyStatus = ({ status }: { status: 'active' | 'revoked' }) => {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      data-testid={`write-key-status-${status}`}
      color={status === 'active' ? 'success' : 'default'}
      variant={status === 'active' ? 'filled' : 'outlined'}
      label={translate(`write_keys.status.${status}`)}
    />
  );
};
