import { Chip, Stack } from '@mui/material';

export const Owners = ({ owners }: { owners: string[] }) => (
  <Stack direction="row" sx={{ gap: 0.5, flexWrap: 'wrap' }}>
    {owners.map((owner) => (
      <Chip key={owner} size="small" variant="outlined" label={owner} />
    ))}
  </Stack>
);
