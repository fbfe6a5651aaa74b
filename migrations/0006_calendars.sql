-- Working calendars (lịch làm việc) per province: weekly rest days, official days off and make-up working days
-- of each year, the centres' working hours. Every change is a new version holding the whole calendar, so a
-- deadline records the version it was computed on and a later edit never silently moves it.
create table calendar_versions (
  province_code text not null,
  version integer not null check (version > 0),
  data jsonb not null,
  note text not null,
  created_at timestamptz not null,
  created_by uuid,
  primary key (province_code, version)
);

comment on table calendar_versions is 'Each version of a province''s working calendar; never updated. The highest version is current.';
comment on column calendar_versions.data is 'WorkingCalendarData (src/modules/calendar/working-calendar.ts) without its version id: weeklyRestDays, daysOff, makeUpWorkingDays, workingHours, confirmedYears.';
comment on column calendar_versions.note is 'Why this version exists: seeded from official notices, an administrator''s edit, a year confirmed…';
