import type { Translate } from '../../../platform/i18n/index.ts';
import { ErrorSummary, type FieldError } from '../../../web/layout.tsx';
import type { WorkingCalendarData } from '../working-calendar.ts';

const WEEKDAYS = ['', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật'];

function showDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const weekday = WEEKDAYS[d.getUTCDay() === 0 ? 7 : d.getUTCDay()];
  return `${weekday}, ${date.split('-').reverse().join('/')}`;
}

function DayTable({ t, days }: { t: Translate; days: { date: string; name: string }[] }) {
  if (days.length === 0) return <p>{t('calendar.none')}</p>;
  return (
    <table>
      <tbody>
        {days.map((d) => (
          <tr key={d.date}>
            <td>{showDate(d.date)}</td>
            <td>{d.name}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function CalendarPage(props: {
  t: Translate;
  provinceName: string;
  calendar: WorkingCalendarData;
  year: number;
  versions: { version: number; note: string; createdAt: string }[];
  canManage: boolean;
  csrfToken?: string | undefined;
  errors: FieldError[];
  notice?: string | undefined;
  formatTime: (iso: string) => string;
}) {
  const { t, calendar, year } = props;
  const daysOff = calendar.daysOff.filter((d) => d.date.startsWith(`${year}-`));
  const makeUp = calendar.makeUpWorkingDays.filter((d) => d.date.startsWith(`${year}-`));
  const confirmed = calendar.confirmedYears.includes(year);
  return (
    <>
      <h1>{t('calendar.title', { province: props.provinceName, year })}</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <p>
        {confirmed ? t('calendar.confirmed') : t('calendar.provisional')}{' '}
        {t('calendar.hours', { hours: calendar.workingHours.map((p) => `${p.start}–${p.end}`).join(', ') })}
      </p>
      <nav class="pager" aria-label={t('calendar.years')}>
        <a href={`/lich-lam-viec?nam=${year - 1}`}>{String(year - 1)}</a>
        <span>{String(year)}</span>
        <a href={`/lich-lam-viec?nam=${year + 1}`}>{String(year + 1)}</a>
      </nav>
      <h2>{t('calendar.daysOff')}</h2>
      <DayTable t={t} days={daysOff} />
      <h2>{t('calendar.makeUp')}</h2>
      <DayTable t={t} days={makeUp} />
      {props.canManage && props.csrfToken && (
        <>
          <h2>{t('calendar.edit')}</h2>
          <ErrorSummary t={t} errors={props.errors} />
          <form method="post" action={`/lich-lam-viec?nam=${year}`}>
            <input type="hidden" name="_csrf" value={props.csrfToken} />
            <div class="field">
              <label for="kind">{t('calendar.change')}</label>
              <select id="kind" name="kind">
                <option value="add-day-off">{t('calendar.kind.add-day-off')}</option>
                <option value="remove-day-off">{t('calendar.kind.remove-day-off')}</option>
                <option value="add-make-up-day">{t('calendar.kind.add-make-up-day')}</option>
                <option value="remove-make-up-day">{t('calendar.kind.remove-make-up-day')}</option>
              </select>
            </div>
            <div class="field">
              <label for="date">{t('calendar.date')}</label>
              <input id="date" name="date" type="text" inputmode="numeric" placeholder="2027-02-05" />
            </div>
            <div class="field">
              <label for="name">{t('calendar.name')}</label>
              <input id="name" name="name" type="text" />
            </div>
            <button type="submit">{t('calendar.save')}</button>
          </form>
          {!confirmed && (
            <form method="post" action={`/lich-lam-viec?nam=${year}`}>
              <input type="hidden" name="_csrf" value={props.csrfToken} />
              <input type="hidden" name="kind" value="confirm-year" />
              <button class="secondary" type="submit">
                {t('calendar.confirmYear', { year })}
              </button>
            </form>
          )}
          <h2>{t('calendar.versions')}</h2>
          <table>
            <tbody>
              {props.versions.map((v) => (
                <tr key={v.version}>
                  <td>{v.version}</td>
                  <td>{props.formatTime(v.createdAt)}</td>
                  <td>{v.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
