import { Card, CardContent, Typography } from '@mui/material';
import type { ReactNode } from 'react';

/** a titled card of the dashboard */
export const Section = ({ title, children }: { title: string; children: ReactNode }) => (
  <Card variant="outlined">
    <CardContent>
      <Typography variant="h6" component="h2" gutterBottom>
        {title}
      </Typography>
      {children}
    </CardContent>
  </Card>
);
