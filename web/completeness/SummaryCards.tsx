import { Box, Card, CardContent, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { Counts } from './aggregate.ts';
import { formatPct } from './format.ts';

const CARDS = ['total', 'valid_pct', 'with_violations', 'duplicates', 'unplanned'] as const;

export const SummaryCards = ({ counts }: { counts: Counts }) => {
  const translate = useTranslate();
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'repeat(auto-fit, minmax(160px, 1fr))' }}>
      {CARDS.map((key) => (
        <Card key={key} variant="outlined">
          <CardContent>
            <Typography variant="body2" color="text.secondary" id={`summary-${key}-label`}>
              {translate(`completeness.summary.${key}`)}
            </Typography>
            <Typography
              variant="h5"
              component="p"
              data-testid={`summary-${key}`}
              aria-labelledby={`summary-${key}-label`}
            >
              {key === 'valid_pct' ? formatPct(counts.valid_pct) : counts[key]}
            </Typography>
          </CardContent>
        </Card>
      ))}
    </Box>
  );
};
