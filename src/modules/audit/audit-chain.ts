// Pure: how an audit entry is hashed. Changing this function breaks every existing chain, so it never changes;
// a new scheme would be a new column.
import crypto from 'node:crypto';
import { canonicalJson } from '../../platform/json.ts';

export { canonicalJson };

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  seq: number;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  unitCode: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
}

export function hashEntry(prevHash: string, fields: ChainedFields): string {
  const body = canonicalJson({ ...fields, at: fields.at.toISOString() });
  return crypto.createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}
