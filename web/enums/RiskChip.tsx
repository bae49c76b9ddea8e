import { Chip } from '@mui/material';
import { useTranslate } from 'react-admin';

/** the risk colour map of the seed: high red, medium amber, low green */
export const RISK_COLOR = { high: 'error', medium: 'warning', low: 'success' } as const;

export const isRisk = (level: string): level is keyof typeof RISK_COLOR => level in RISK_COLOR;

export const RiskChip = ({ level }: { level: string }) => {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      data-testid={`risk-${level}`}
      color={isRisk(level) ? RISK_COLOR[level] : 'default'}
      label={translate(`risk.${level}`, { _: level })}
    />
  );
};
