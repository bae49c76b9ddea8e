import { Stack, TextField } from '@mui/material';
import { useTranslate } from 'react-admin';
import { addDays, type DayRange, MAX_RANGE_DAYS, utc8Today } from './days.ts';

const earlier = (a: string, b: string) => (a < b ? a : b);

/** two UTC+8 dates; the start never after the end, the end never after today, at most MAX_RANGE_DAYS apart */
export const DayRangePicker = ({
  value,
  onChange,
}: {
  value: DayRange;
  onChange: (range: DayRange) => void;
}) => {
  const translate = useTranslate();
  const today = utc8Today();
  return (
    <Stack direction="row" spacing={2}>
      <TextField
        type="date"
        size="small"
        label={translate('completeness.from')}
        value={value.from}
        onChange={(e) => e.target.value && onChange({ ...value, from: e.target.value })}
        slotProps={{
          inputLabel: { shrink: true },
          htmlInput: { min: addDays(value.to, 1 - MAX_RANGE_DAYS), max: value.to },
        }}
      />
      <TextField
        type="date"
        size="small"
        label={translate('completeness.to')}
        value={value.to}
        onChange={(e) => e.target.value && onChange({ ...value, to: e.target.value })}
        slotProps={{
          inputLabel: { shrink: true },
          htmlInput: { min: value.from, max: earlier(today, addDays(value.from, MAX_RANGE_DAYS - 1)) },
        }}
      />
    </Stack>
  );
};
