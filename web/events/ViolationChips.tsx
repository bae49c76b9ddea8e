import { Chip, Stack } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { Violation } from '../../server/events/schemas.ts';

/** a green "valid" chip, or one red chip per violation: field and the rule it broke */
export const ViolationChips = ({ violations }: { violations: Violation[] }) => {
  const translate = useTranslate();
  if (violations.length === 0) {
    return <Chip size="small" color="success" variant="outlined" label={translate('events.valid')} />;
  }
  return (
    <Stack direction="row" sx={{ gap: 0.5, flexWrap: 'wrap' }}>
      {violations.map((violation) => (
        <Chip
          key={`${violation.field}|${violation.rule}`}
          size="small"
          color="error"
          label={`${violation.field}: ${translate(`rules.${violation.rule}`)}`}
        />
      ))}
    </Stack>
  );
};
