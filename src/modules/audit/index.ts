// Public face of the audit module: other modules append entries inside their own transactions.
export {
  appendAudit,
  listAuditEntries,
  verifyAuditChain,
  type AuditEntryInput,
  type AuditListQuery,
  type AuditVerification,
} from './audit.service.ts';
