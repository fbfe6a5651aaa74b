import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Translate } from '../platform/i18n/index.ts';
import { sendPage } from './render.tsx';

function HomePage({ t }: { t: Translate }) {
  return (
    <>
      <h1>{t('home.title')}</h1>
      <p>{t('home.intro')}</p>
      <div class="cards">
        <section class="card">
          <h2>
            <a href="/thu-tuc">{t('home.procedures')}</a>
          </h2>
          <p>{t('home.proceduresHint')}</p>
        </section>
        <section class="card">
          <h2>
            <a href="/don-vi-hanh-chinh">{t('home.units')}</a>
          </h2>
          <p>{t('home.unitsHint')}</p>
        </section>
        <section class="card">
          <h2>
            <a href="/dang-nhap">{t('home.staff')}</a>
          </h2>
          <p>{t('home.staffHint')}</p>
        </section>
      </div>
    </>
  );
}

export function homeRoutes(): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/', { schema: { hide: true } }, async (request, reply) =>
      sendPage(request, reply, { title: request.t('home.title'), body: <HomePage t={request.t} /> }),
    );
  };
}
