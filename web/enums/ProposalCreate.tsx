import { Alert, Box, CircularProgress, Paper, Stack, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import {
  Create,
  HttpError,
  RadioButtonGroupInput,
  regex,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
  useDataProvider,
  useGetIdentity,
  useGetList,
  useTranslate,
} from 'react-admin';
import { useFormContext, useWatch } from 'react-hook-form';
import {
  ENUM_ACTIONS,
  type EnumAction,
  type GovernedEnumRecord,
  MAPPING_FIELDS,
  type ProposalBody,
} from '../../server/enums/schemas.ts';
import type { EnumValueRecord } from '../../server/plan/schemas.ts';
import type { ConsoleIdentity } from '../authProvider.ts';
import type { ConsoleDataProvider } from '../dataProvider.ts';
import { useLocalized } from '../i18n/useLocalized.ts';
import { useNotifyServerError } from '../useNotifyServerError.ts';
import { EnumSelectInput } from './EnumSelectInput.tsx';
import { mayPropose } from './governance.ts';
import { ImpactSummary } from './ImpactSummary.tsx';
import { useRoleList } from './ProposalChips.tsx';

/** what the proposal form may be opened with (from an enum's page or one of its values) */
export interface ProposalDraft {
  enum?: string;
  action?: EnumAction;
  value?: string;
}

const LABEL_FIELDS = ['label_en', 'label_zh', 'description'] as const;

/** the fields each action sends besides enum, action, value and rationale (mapping ones: policy_tag only) */
const FIELDS_OF: Record<EnumAction, readonly string[]> = {
  add: [...LABEL_FIELDS, ...MAPPING_FIELDS],
  relabel: LABEL_FIELDS,
  update_mapping: MAPPING_FIELDS,
  deprecate: [],
  reactivate: [],
};

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * The request body of what the form holds: only the fields its action takes (the server refuses any other,
 * 400), the empty ones left out (not changed), the mapping only for policy_tag.
 */
export function proposalBody(values: Record<string, unknown>): ProposalBody {
  const action = values.action as EnumAction;
  const body: Record<string, unknown> = {
    enum: values.enum,
    action,
    value: text(values.value),
    rationale: text(values.rationale),
  };
  for (const field of FIELDS_OF[action] ?? []) {
    if ((MAPPING_FIELDS as readonly string[]).includes(field) && values.enum !== 'policy_tag') continue;
    const v = text(values[field]);
    if (v !== '') body[field] = v;
  }
  return body as ProposalBody;
}

/** the actions an enum's values can take: only policy_tag has a mapping to update */
const actionsFor = (enumName: string | undefined) =>
  ENUM_ACTIONS.filter((a) => a !== 'update_mapping' || enumName === 'policy_tag');

/** the existing values an action applies to: deprecate an active one, reactivate a deprecated one */
const valuesFor = (action: EnumAction | undefined, values: readonly EnumValueRecord[]) =>
  values.filter((v) =>
    action === 'deprecate'
      ? v.status === 'active'
      : action === 'reactivate'
        ? v.status === 'deprecated'
        : true,
  );

/** debounced: the preview asks the server once typing pauses */
function useSettled<T>(value: T, ms = 400): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * What the change would do if approved now, asked of the server as the form changes (POST
 * /api/enum-proposals/impact, nothing stored): the counts, or why the server would refuse the change (422 /
 * 409 with its words) or what the form still lacks (400).
 */
const ImpactPreview = () => {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const values = useWatch() as Record<string, unknown>;
  const complete = Boolean(values.enum && values.action && text(values.value));
  // the preview does not read the rationale; the body's schema wants one, so an unwritten one is stood in for
  const body = complete ? proposalBody({ ...values, rationale: text(values.rationale) || 'preview' }) : null;
  const key = useSettled(body ? JSON.stringify(body) : null);
  const { data, error, isFetching } = useQuery({
    queryKey: ['enums', 'impact', key],
    queryFn: () => dataProvider.enumImpact(JSON.parse(key!) as ProposalBody),
    enabled: key !== null,
    retry: false,
    staleTime: 10_000,
  });
  const errors =
    error instanceof HttpError ? (error.body as { errors?: Record<string, string> })?.errors : null;
  return (
    <Stack spacing={1} data-testid="impact-preview">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Typography variant="subtitle1">{translate('enums.impact.title')}</Typography>
        {isFetching && <CircularProgress size={14} />}
      </Stack>
      {key === null && (
        <Typography variant="body2" color="text.secondary">
          {translate('enums.impact.fill_in')}
        </Typography>
      )}
      {key !== null && error && (
        <Alert
          severity={error instanceof HttpError && error.status === 400 ? 'info' : 'warning'}
          data-testid="impact-refused"
        >
          {error instanceof HttpError && error.status === 400
            ? translate('enums.impact.incomplete')
            : translate('enums.impact.refused', { message: error.message })}
          {errors && (
            <Box component="ul" sx={{ m: 0, pl: 2 }}>
              {Object.entries(errors).map(([field, reason]) => (
                <li key={field}>
                  {field}: {reason}
                </li>
              ))}
            </Box>
          )}
        </Alert>
      )}
      {key !== null && !error && data && <ImpactSummary impact={data} />}
    </Stack>
  );
};

/** which roles must approve changes to the chosen enum */
const GovernanceNote = ({ target }: { target: GovernedEnumRecord | undefined }) => {
  const translate = useTranslate();
  const roleList = useRoleList();
  if (!target) return null;
  return (
    <Alert severity="info" data-testid="proposal-governance">
      {translate('enums.proposals.needs', { roles: roleList(target.governance.approve_roles) })}
      {target.governance.approve_roles.length > 1 && ` ${translate('enums.proposals.needs_distinct')}`}
    </Alert>
  );
};

/** the value's current text, shown under the input that would change it */
const nowText = (translate: ReturnType<typeof useTranslate>, v: string | null | undefined) =>
  translate('enums.proposals.now_is', { value: v === null || v === undefined || v === '' ? '∅' : v });

const ProposalFields = () => {
  const translate = useTranslate();
  const localized = useLocalized();
  const { setValue } = useFormContext();
  const { identity } = useGetIdentity();
  const roles = (identity as ConsoleIdentity | undefined)?.roles ?? [];
  const { data: enums } = useGetList<GovernedEnumRecord>('enums', {
    pagination: { page: 1, perPage: 100 },
    sort: { field: 'name', order: 'ASC' },
  });
  const enumName = useWatch({ name: 'enum' }) as string | undefined;
  const action = useWatch({ name: 'action' }) as EnumAction | undefined;
  const code = useWatch({ name: 'value' }) as string | undefined;
  const target = enums?.find((e) => e.name === enumName);
  const current = action !== 'add' ? target?.values.find((v) => v.code === code) : undefined;
  const isPolicy = enumName === 'policy_tag';

  // another enum or action: a value picked for the previous one no longer means anything. Not so the draft
  // an enum's page opens the form with: react-admin fills it in after the first render, from a blank form
  const previous = useRef({ enumName, action });
  useEffect(() => {
    const was = previous.current;
    previous.current = { enumName, action };
    const drafted = was.enumName === undefined && was.action === undefined;
    if (drafted) return;
    if (was.enumName !== enumName || (was.action === 'add') !== (action === 'add')) setValue('value', '');
  }, [enumName, action, setValue]);

  const choosable = (enums ?? []).filter((e) => mayPropose(roles, e));
  return (
    <Stack direction={{ xs: 'column', md: 'row' }} spacing={3} sx={{ width: '100%' }}>
      <Box sx={{ flex: 1, minWidth: 320, maxWidth: 560 }}>
        <SelectInput
          source="enum"
          id="proposal-enum"
          choices={choosable.map((e) => ({ id: e.name, name: e.name }))}
          validate={required()}
          isPending={enums === undefined}
          translateChoice={false}
          fullWidth
        />
        <RadioButtonGroupInput
          source="action"
          choices={actionsFor(enumName).map((a) => ({ id: a, name: `enums.action.${a}` }))}
          validate={required()}
        />
        {action === 'add' ? (
          <TextInput
            source="value"
            id="proposal-value"
            label="resources.enum-proposals.fields.code"
            validate={[required(), regex(/^[A-Za-z0-9_]{1,64}$/, 'enums.proposals.code_format')]}
            helperText="enums.proposals.code_format"
            fullWidth
          />
        ) : (
          <SelectInput
            key={`${enumName}-${action}`}
            source="value"
            id="proposal-value"
            label="resources.enum-proposals.fields.code"
            choices={valuesFor(action, target?.values ?? []).map((v) => ({
              id: v.code,
              name: `${v.code} · ${localized(v.label_en, v.label_zh)}${v.status === 'deprecated' ? ` (${translate('enums.status.deprecated')})` : ''}`,
            }))}
            validate={required()}
            translateChoice={false}
            fullWidth
          />
        )}
        {(action === 'add' || action === 'relabel') &&
          LABEL_FIELDS.map((field) => (
            <TextInput
              key={field}
              source={field}
              id={`proposal-${field}`}
              label={`enums.field.${field}`}
              validate={action === 'add' && field !== 'description' ? required() : undefined}
              helperText={current ? nowText(translate, current[field]) : false}
              multiline={field === 'description'}
              fullWidth
            />
          ))}
        {isPolicy && (action === 'add' || action === 'update_mapping') && (
          <>
            <SelectInput
              source="policy_group"
              id="proposal-policy_group"
              label="enums.field.policy_group"
              choices={['A', 'B', 'C', 'D'].map((g) => ({ id: g, name: g }))}
              validate={action === 'add' ? required() : undefined}
              helperText={current ? nowText(translate, current.policy_group) : false}
              translateChoice={false}
              fullWidth
            />
            {(
              [
                ['default_risk_level', 'risk_level'],
                ['default_action_required', 'action_required'],
                ['min_escalation_level', 'escalation_level'],
              ] as const
            ).map(([field, source]) => (
              <EnumSelectInput
                key={field}
                enumName={source}
                source={field}
                id={`proposal-${field}`}
                label={`enums.field.${field}`}
                validate={action === 'add' ? required() : undefined}
                helperText={current ? nowText(translate, current[field]) : false}
                fullWidth
              />
            ))}
          </>
        )}
        <TextInput
          source="rationale"
          id="proposal-rationale"
          validate={required('enums.proposals.rationale_required')}
          multiline
          minRows={3}
          fullWidth
        />
      </Box>
      <Paper variant="outlined" sx={{ flex: 1, p: 2, minWidth: 300, alignSelf: 'flex-start' }}>
        <Stack spacing={2}>
          <GovernanceNote target={target} />
          <ImpactPreview />
        </Stack>
      </Paper>
    </Stack>
  );
};

/**
 * A change to an enum table, proposed for someone else's approval: add a value, relabel one, edit a
 * policy_tag's mapping, deprecate or reactivate one, with the reason. The form sends only what the action
 * takes and shows, as it is filled in, what the change would do if approved now. Saved, it opens the proposal.
 */
export const ProposalCreate = () => {
  const notifyError = useNotifyServerError();
  return (
    <Create transform={proposalBody} redirect="show" mutationOptions={{ onError: notifyError }}>
      <SimpleForm>
        <ProposalFields />
      </SimpleForm>
    </Create>
  );
};
