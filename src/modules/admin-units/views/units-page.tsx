import type { Translate } from '../../../platform/i18n/index.ts';
import { Pager } from '../../../web/layout.tsx';
import type { AdminUnit } from '../admin-units.service.ts';

export interface UnitsPageProps {
  t: Translate;
  q: string;
  province: AdminUnit | undefined;
  items: AdminUnit[];
  total: number;
  page: number;
  pages: number;
  communeCounts: Map<string, number> | undefined;
}

function pageHref(q: string, province: AdminUnit | undefined, page: number): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (province) params.set('tinh', province.code);
  params.set('trang', String(page));
  return `/don-vi-hanh-chinh?${params.toString()}`;
}

export function UnitsPage({ t, q, province, items, total, page, pages, communeCounts }: UnitsPageProps) {
  const heading = q
    ? t('units.results', { q, count: total.toLocaleString('vi-VN') })
    : province
      ? t('units.communesOf', { province: province.fullName })
      : t('units.provinces');
  return (
    <>
      <h1>{t('units.title')}</h1>
      <form class="search" method="get" action="/don-vi-hanh-chinh" role="search">
        <div class="field">
          <label for="q">{t('units.searchLabel')}</label>
          <input id="q" name="q" type="search" value={q} />
        </div>
        {province && <input type="hidden" name="tinh" value={province.code} />}
        <div class="field">
          <button type="submit">{t('units.searchButton')}</button>
        </div>
      </form>
      {(q || province) && (
        <p>
          <a href="/don-vi-hanh-chinh">{t('units.allProvinces')}</a>
        </p>
      )}
      <h2>{heading}</h2>
      {items.length === 0 ? (
        <p>{t('units.noResults', { q })}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('units.code')}</th>
              <th scope="col">{t('units.name')}</th>
              <th scope="col">{communeCounts ? t('units.communeCount') : t('units.type')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((unit) => (
              <tr key={unit.code}>
                <td>{unit.code}</td>
                <td>
                  <a
                    href={
                      unit.level === 'province' && !q
                        ? `/don-vi-hanh-chinh?tinh=${unit.code}`
                        : `/don-vi-hanh-chinh/${unit.code}`
                    }
                  >
                    {unit.fullName}
                  </a>
                </td>
                <td>{communeCounts ? (communeCounts.get(unit.code) ?? 0) : t(`units.type.${unit.type}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager t={t} page={page} pages={pages} href={(n) => pageHref(q, province, n)} />
    </>
  );
}

export function UnitDetailPage({
  t,
  unit,
  parent,
}: {
  t: Translate;
  unit: AdminUnit;
  parent: AdminUnit | undefined;
}) {
  return (
    <>
      <h1>{unit.fullName}</h1>
      <dl class="summary">
        <dt>{t('units.code')}</dt>
        <dd>{unit.code}</dd>
        <dt>{t('units.type')}</dt>
        <dd>{t(`units.type.${unit.type}`)}</dd>
        {parent && (
          <>
            <dt>{t('units.province')}</dt>
            <dd>
              <a href={`/don-vi-hanh-chinh?tinh=${parent.code}`}>{parent.fullName}</a>
            </dd>
          </>
        )}
        <dt>{t('units.validFrom')}</dt>
        <dd>{unit.validFrom.split('-').reverse().join('/')}</dd>
        <dt>{t('units.legalBasis')}</dt>
        <dd>{unit.legalBasis}</dd>
      </dl>
      {unit.level === 'commune' && (
        <p>
          <a href={`/thu-tuc?xa=${unit.code}`}>{t('units.proceduresHere')}</a>
        </p>
      )}
      {unit.level === 'province' && (
        <p>
          <a href={`/don-vi-hanh-chinh?tinh=${unit.code}`}>
            {t('units.communesOf', { province: unit.fullName })}
          </a>
        </p>
      )}
    </>
  );
}
