import { Chip } from '@mui/material';
import { useTranslate } from 'react-admin';

/** the risk colour map of the seed: high red, medium amber, low green */
export const RISK_COLOR = { high: 'error', medium: 'warning', low: 'success' } as const;

export const isRisk = (level: string): level is keyof typeof RISK_COLOR => Object.hasOwn(RISK_COLOR, level);

/** the chip colour of a risk level (a policy tag's, an alert's): its colour in the map, grey outside it */
export const riskColor = (level: string | null | undefined) =>
  level && isRisk(level) ? RISK_COLOR[level] : 'default';

export const RiskChip = ({ level }: { level: string }) => {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      data-testid={`risk-${level}`}
      color={riskColor(level)}
      label={translate(`risk.${level}`, { _: level })}
    />
  );
};
