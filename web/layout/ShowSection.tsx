import { Box, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { useTranslate } from 'react-admin';
import { SHANGHAI } from '../events/EventList.tsx';

/** an instant as the console shows it: in UTC+8, the seed's day boundary */
export const formatInstant = (iso: string) => new Date(iso).toLocaleString(undefined, SHANGHAI);

/** a titled part of a record's page (licence, task, alert) */
export const ShowSection = ({
  title,
  children,
  testId,
}: {
  title: string;
  children: ReactNode;
  testId: string;
}) => {
  const translate = useTranslate();
  return (
    <Box sx={{ px: 2, pb: 2 }} data-testid={testId}>
      <Typography variant="h6" sx={{ mb: 1 }}>
        {translate(title)}
      </Typography>
      {children}
    </Box>
  );
};
