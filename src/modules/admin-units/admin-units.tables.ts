import { date, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const adminUnits = pgTable('admin_units', {
  code: text('code').notNull(),
  validFrom: date('valid_from').notNull(),
  validTo: date('valid_to'),
  level: text('level').$type<'province' | 'commune'>().notNull(),
  type: text('type').$type<AdminUnitType>().notNull(),
  parentCode: text('parent_code'),
  name: text('name').notNull(),
  fullName: text('full_name').notNull(),
  nameEn: text('name_en').notNull(),
  fullNameEn: text('full_name_en').notNull(),
  slug: text('slug').notNull(),
  searchText: text('search_text').notNull(),
  legalBasis: text('legal_basis').notNull(),
});

export const referenceDataLoads = pgTable('reference_data_loads', {
  name: text('name').primaryKey(),
  checksum: text('checksum').notNull(),
  loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull(),
});

export type AdminUnitType = 'tinh' | 'thanh_pho' | 'xa' | 'phuong' | 'dac_khu';
