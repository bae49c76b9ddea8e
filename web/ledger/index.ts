import AccountBalanceWalletIcon from '@mui/icons-material/AccountBalanceWallet';
import ReceiptLongIcon from '@mui/icons-material/ReceiptLong';
import { LedgerAccountList } from './LedgerAccountList.tsx';
import { LedgerList } from './LedgerList.tsx';
import { LedgerShow } from './LedgerShow.tsx';

export const ledger = {
  list: LedgerList,
  show: LedgerShow,
  icon: ReceiptLongIcon,
  recordRepresentation: 'id',
};

/** per-account balances from the ledger: a list only */
export const ledgerAccounts = {
  list: LedgerAccountList,
  icon: AccountBalanceWalletIcon,
  recordRepresentation: 'account_id',
};
