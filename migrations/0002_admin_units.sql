-- Administrative units (đơn vị hành chính): 34 provinces and 3,321 communes since 01/07/2025.
-- A reference table shared by every unit (not distributed). Rows carry validity dates so that a future merger
-- closes the old rows (valid_to) and opens new ones, and history stays queryable.
create table admin_units (
  code text not null,
  valid_from date not null,
  valid_to date,
  level text not null check (level in ('province', 'commune')),
  type text not null check (type in ('tinh', 'thanh_pho', 'xa', 'phuong', 'dac_khu')),
  parent_code text,
  name text not null,
  full_name text not null,
  name_en text not null,
  full_name_en text not null,
  slug text not null,
  search_text text not null,
  legal_basis text not null,
  primary key (code, valid_from),
  check (valid_to is null or valid_to > valid_from),
  check ((level = 'province') = (parent_code is null)),
  check ((level = 'province') = (type in ('tinh', 'thanh_pho')))
);

comment on table admin_units is 'Đơn vị hành chính (tỉnh/thành phố, xã/phường/đặc khu) with validity periods; codes per QĐ 19/2025/QĐ-TTg.';
comment on column admin_units.code is 'Province: 2 digits; commune: 5 digits. Reused GSO codes where possible.';
comment on column admin_units.valid_to is 'Exclusive end of validity; null while the unit exists. At most one open row per code.';
comment on column admin_units.type is 'tinh, thanh_pho (centrally-run city), xa, phuong, dac_khu (special zone).';
comment on column admin_units.search_text is 'Folded (lower case, no diacritics, đ→d) name, full name, English name and code, computed by the app.';
comment on column admin_units.legal_basis is 'The legal text that created or last changed the unit, or the dataset it was loaded from.';

create unique index admin_units_current_code on admin_units (code) where valid_to is null;
create index admin_units_current_parent on admin_units (parent_code, code) where valid_to is null;
create index admin_units_search on admin_units using gin (search_text gin_trgm_ops);

-- A merger or split records which units became which, so history can be followed across it.
create table admin_unit_successions (
  predecessor_code text not null,
  successor_code text not null,
  effective_on date not null,
  legal_basis text not null,
  primary key (predecessor_code, successor_code, effective_on)
);

comment on table admin_unit_successions is 'Which unit became which on a merger, split or rename (e.g. a resolution of the UBTVQH).';

-- Which reference data set is loaded, so a restart skips reloading an unchanged file.
create table reference_data_loads (
  name text primary key,
  checksum text not null,
  loaded_at timestamptz not null
);
