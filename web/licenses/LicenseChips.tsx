import BoltIcon from '@mui/icons-material/Bolt';
import { Box, Chip, Tooltip } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { LicenseRecord, LicenseStatus } from '../../server/licenses/schemas.ts';
import { riskColor } from '../enums/RiskChip.tsx';
import { useEnum } from '../enums/useEnum.ts';
import { useLocalized } from '../i18n/useLocalized.ts';
import { slaLevel } from './decisions.ts';

const STATUS_COLOR = {
  pending: 'info',
  approved: 'success',
  rejected: 'error',
  revoked: 'default',
} as const satisfies Record<LicenseStatus, string>;

export const LicenseStatusChip = ({ status }: { status: LicenseStatus }) => {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      data-testid={`license-status-${status}`}
      color={STATUS_COLOR[status]}
      variant={status === 'revoked' ? 'outlined' : 'filled'}
      label={translate(`licenses.status.${status}`)}
    />
  );
};

export const FastTrackChip = () => {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      variant="outlined"
      color="secondary"
      icon={<BoltIcon />}
      data-testid="fast-track"
      label={translate('licenses.fast_track')}
    />
  );
};

/** a policy tag in the risk colour its table gives it (high red, medium amber, low green), titled in words */
export const PolicyTagChip = ({ code }: { code: string }) => {
  const { values } = useEnum('policy_tag');
  const localized = useLocalized();
  const value = values?.find((v) => v.code === code);
  const risk = value?.default_risk_level ?? null;
  return (
    <Tooltip title={value ? localized(value.label_en, value.label_zh) : ''}>
      <Chip
        size="small"
        data-testid={`policy-tag-${code}`}
        data-risk={risk ?? 'unknown'}
        color={riskColor(risk)}
        label={code}
      />
    </Tooltip>
  );
};

const SLA_COLOR = {
  breached: 'error.main',
  near: 'warning.main',
  ok: 'success.main',
  decided: 'text.secondary',
} as const;

/**
 * A pending application's age against its SLA target: red once breached, amber in the last quarter of the
 * target. A decided one shows how long it waited, uncoloured.
 */
export const SlaAge = ({ license }: { license: LicenseRecord }) => {
  const translate = useTranslate();
  const level = slaLevel(license);
  const hours = translate('licenses.sla.hours', { hours: license.age_hours.toFixed(1) });
  return (
    <Tooltip
      title={
        level === 'decided'
          ? translate('licenses.sla.decided')
          : translate(`licenses.sla.${level}`, { target: license.sla_hours })
      }
    >
      <Box
        component="span"
        data-testid="sla-age"
        data-sla={level}
        sx={{
          color: SLA_COLOR[level],
          fontWeight: level === 'breached' ? 'bold' : undefined,
          whiteSpace: 'nowrap',
        }}
      >
        {hours}
      </Box>
    </Tooltip>
  );
};
