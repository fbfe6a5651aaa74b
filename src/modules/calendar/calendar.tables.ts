import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { WorkingCalendarData } from './working-calendar.ts';

export const calendarVersions = pgTable('calendar_versions', {
  provinceCode: text('province_code').notNull(),
  version: integer('version').notNull(),
  data: jsonb('data').$type<Omit<WorkingCalendarData, 'version'>>().notNull(),
  note: text('note').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  createdBy: uuid('created_by'),
});
