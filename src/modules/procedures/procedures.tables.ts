import { boolean, date, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { ProcedureRecord } from './procedure-record.ts';

export const procedures = pgTable('procedures', {
  code: text('code').primaryKey(),
  baseCode: text('base_code').notNull(),
  name: text('name').notNull(),
  field: text('field').notNull(),
  levels: text('levels').array().notNull(),
  onlineServiceLevel: text('online_service_level').$type<'toan_trinh' | 'mot_phan' | 'none'>(),
  currentVersion: integer('current_version').notNull(),
  searchText: text('search_text').notNull(),
  hasUnparsedRules: boolean('has_unparsed_rules').notNull(),
  missingComponents: text('missing_components').array().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
});

export const procedureVersions = pgTable('procedure_versions', {
  procedureCode: text('procedure_code').notNull(),
  version: integer('version').notNull(),
  effectiveFrom: date('effective_from').notNull(),
  record: jsonb('record').$type<ProcedureRecord>().notNull(),
  contentHash: text('content_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  createdBy: uuid('created_by'),
  importId: uuid('import_id'),
});

export const procedureOfferings = pgTable('procedure_offerings', {
  unitCode: text('unit_code').notNull(),
  procedureCode: text('procedure_code').notNull(),
  enabledAt: timestamp('enabled_at', { withTimezone: true }).notNull(),
  enabledBy: uuid('enabled_by'),
});

export const procedureImports = pgTable('procedure_imports', {
  id: uuid('id').primaryKey(),
  fileName: text('file_name').notNull(),
  format: text('format').notNull(),
  dryRun: boolean('dry_run').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  summary: jsonb('summary').$type<Record<string, unknown>>().notNull(),
  errors: jsonb('errors').$type<unknown[]>().notNull(),
  createdBy: uuid('created_by'),
});
