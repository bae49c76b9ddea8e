import HowToVoteIcon from '@mui/icons-material/HowToVote';
import ListAltIcon from '@mui/icons-material/ListAlt';
import { EnumList } from './EnumList.tsx';
import { EnumShow } from './EnumShow.tsx';
import { ProposalCreate } from './ProposalCreate.tsx';
import { ProposalList } from './ProposalList.tsx';
import { ProposalShow } from './ProposalShow.tsx';

export const enums = {
  list: EnumList,
  show: EnumShow,
  icon: ListAltIcon,
  recordRepresentation: 'name',
};

/** changes to the enums: the only way they change, each approved by someone other than its proposer */
export const enumProposals = {
  list: ProposalList,
  show: ProposalShow,
  create: ProposalCreate,
  icon: HowToVoteIcon,
  recordRepresentation: (r: { id: number; enum: string; code: string }) => `#${r.id} ${r.enum}.${r.code}`,
};
