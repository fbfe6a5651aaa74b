// The mixed workload: five kinds of work, each connection doing one kind as one person would, one request at a
// time. A plan hands out a connection's next request and reads its reply, so it can carry state from one request to
// the next (a filing journey's draft, the status of an officer's dossiers) and say whether the reply was the one a
// browser or an API client expects.
import crypto from 'node:crypto';
import type { FilingProcedure, OpenDossier, TrackingTarget } from './sample.ts';
import type { SignedIn } from './sessions.ts';
import { digits, pick, shuffle, type Random } from './random.ts';

export const KINDS = ['tracking', 'catalogue', 'filing', 'queue', 'actions'] as const;
export type Kind = (typeof KINDS)[number];

/**
 * The mix, as shares of the requests (each connection makes the same number of requests per second, so these are
 * also the shares of the connections). Citizen-heavy: every receipt carries a tracking QR code and people check it
 * many times while a dossier is processed, so tracking leads; people look procedures up before they file or come to
 * the counter; an online filing is about a dozen requests but only a part of the dossiers are filed online; officers
 * keep their queue open and reload it all day; an action is the rarest request (a dossier takes about ten in its life).
 */
export const SHARES: Readonly<Record<Kind, number>> = {
  tracking: 0.45,
  catalogue: 0.25,
  filing: 0.1,
  queue: 0.15,
  actions: 0.05,
};

export const KIND_NAMES: Readonly<Record<Kind, string>> = {
  tracking: 'citizen tracking',
  catalogue: 'catalogue',
  filing: 'online filing',
  queue: 'officer queue',
  actions: 'officer actions',
};

/** What citizens type, without diacritics as most do on a phone. */
export const CATALOGUE_QUERIES = [
  'dang ky khai sinh',
  'dang ky ket hon',
  'dang ky khai tu',
  'chung thuc ban sao',
  'chung thuc chu ky',
  'xac nhan tinh trang hon nhan',
  'nhan cha me con',
  'trich luc ho tich',
  'dang ky giam ho',
  'thay doi cai chinh ho tich',
  'ho kinh doanh',
  'dat dai',
] as const;

/** The smallest file the app accepts as a PDF: a citizen's scan stands in for it. */
const SCAN = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

export interface Step {
  kind: Kind;
  /** The kind of request within its kind (a row of the report), e.g. "tracking page". */
  label: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  expectStatus: number;
  /** For a redirect: the Location it must carry. */
  expectLocation?: RegExp;
}

export interface Reply {
  status: number;
  location: string | undefined;
  body: string;
}

export interface Plan {
  readonly kind: Kind;
  next(): Step;
  /**
   * The reply to the step `next()` returned last, or undefined when none came (a timeout, a socket error, the
   * connection closed). Returns whether the reply is the expected one.
   */
  settle(step: Step, reply: Reply | undefined): boolean;
}

export function isExpected(step: Step, reply: Reply | undefined): boolean {
  if (!reply || reply.status !== step.expectStatus) return false;
  return !step.expectLocation || step.expectLocation.test(reply.location ?? '');
}

// As a browser or an API client sends them: compressed answers accepted (the app gzips what is over 1 KB).
const PAGE = {
  accept: 'text/html,application/xhtml+xml',
  'accept-encoding': 'gzip, deflate',
  'user-agent': 'xaso-load',
};
const JSON_API = {
  accept: 'application/json',
  'accept-encoding': 'gzip, deflate',
  'user-agent': 'xaso-load',
};

/**
 * Without `accept-encoding`, for the few replies whose body the plan reads (the centres of the filing page, the
 * dossier an action answers with): autocannon hands the body over as text, which a gzipped body would not survive.
 */
function uncompressed(headers: Record<string, string>): Record<string, string> {
  const { 'accept-encoding': _encoding, ...rest } = headers;
  return rest;
}

function formPost(session: SignedIn, fields: Record<string, string>) {
  return {
    headers: {
      ...PAGE,
      cookie: session.cookie,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ _csrf: session.csrfToken, ...fields }).toString(),
  };
}

// --- how many connections do which kind ---------------------------------------------------------------------------

/**
 * The kind of each connection, in the order autocannon opens them: counts by largest remainder of the shares (at
 * least one connection per kind that has work), capped by what the data allows (no connection without dossiers of its
 * own to act on); the rest go to tracking. Kinds are interleaved so each is spread over the opening order, which is
 * also the order of the connections' one-second slots.
 */
export function assignKinds(connections: number, capacity: Partial<Record<Kind, number>>): Kind[] {
  const counts = {} as Record<Kind, number>;
  const remainders: { kind: Kind; rest: number }[] = [];
  let given = 0;
  for (const kind of KINDS) {
    const exact = SHARES[kind] * connections;
    counts[kind] = Math.floor(exact);
    given += counts[kind];
    remainders.push({ kind, rest: exact - counts[kind] });
  }
  remainders.sort((a, b) => b.rest - a.rest);
  for (let i = 0; given < connections; i++, given++) counts[remainders[i % remainders.length]!.kind]++;
  if (connections >= KINDS.length)
    for (const kind of KINDS)
      if (counts[kind] === 0 && (capacity[kind] ?? 1) > 0) {
        counts[kind] = 1;
        counts.tracking--;
      }
  for (const kind of KINDS) {
    const cap = capacity[kind];
    if (kind !== 'tracking' && cap !== undefined && counts[kind] > cap) {
      counts.tracking += counts[kind] - cap;
      counts[kind] = cap;
    }
  }
  // Smooth weighted round robin: each kind appears at even intervals.
  const order: Kind[] = [];
  const current = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  for (let i = 0; i < connections; i++) {
    let best: Kind = 'tracking';
    for (const kind of KINDS) {
      current[kind] += counts[kind];
      if (current[kind] > current[best]) best = kind;
    }
    current[best] -= connections;
    order.push(best);
  }
  return order;
}

// --- citizen tracking ---------------------------------------------------------------------------------------------

/** A citizen scanning the QR code of a receipt (the page), two in three; an app or the portal asking the API. */
export function trackingPlan(targets: readonly TrackingTarget[], random: Random): Plan {
  let i = Math.floor(random() * targets.length);
  return {
    kind: 'tracking',
    next() {
      const t = targets[i % targets.length]!;
      const query = `?ma=${encodeURIComponent(t.secret)}`;
      const isPage = i++ % 3 !== 2;
      return isPage
        ? {
            kind: 'tracking',
            label: 'tracking page',
            method: 'GET',
            path: `/tra-cuu-ho-so/${encodeURIComponent(t.code)}${query}`,
            headers: PAGE,
            expectStatus: 200,
          }
        : {
            kind: 'tracking',
            label: 'tracking API',
            method: 'GET',
            path: `/api/tracking/${encodeURIComponent(t.code)}${query}`,
            headers: JSON_API,
            expectStatus: 200,
          };
    },
    settle: isExpected,
  };
}

// --- catalogue ------------------------------------------------------------------------------------------------------

/** A search typed without diacritics, then a procedure's page, and again. */
export function cataloguePlan(procedures: readonly string[], random: Random): Plan {
  let i = Math.floor(random() * 1000);
  return {
    kind: 'catalogue',
    next() {
      const isSearch = i++ % 2 === 0;
      if (isSearch) {
        const q = CATALOGUE_QUERIES[i % CATALOGUE_QUERIES.length]!;
        return {
          kind: 'catalogue',
          label: 'search page',
          method: 'GET',
          path: `/thu-tuc?${new URLSearchParams({ q }).toString()}`,
          headers: PAGE,
          expectStatus: 200,
        };
      }
      return {
        kind: 'catalogue',
        label: 'procedure page',
        method: 'GET',
        path: `/thu-tuc/${encodeURIComponent(pick(random, procedures))}`,
        headers: PAGE,
        expectStatus: 200,
      };
    },
    settle: isExpected,
  };
}

// --- officer queue ----------------------------------------------------------------------------------------------------

export interface StaffSession {
  officer: { role: 'desk_officer' | 'specialist' | 'leader'; unitCode: string };
  session: SignedIn;
}

/** The first page of an officer's queue (as the page opens it: a specialist's own, the unit's for the others). */
export function queueRequest(staff: StaffSession, asPage: boolean): Step {
  const scope = staff.officer.role === 'specialist' ? 'mine' : 'unit';
  return asPage
    ? {
        kind: 'queue',
        label: 'queue page',
        method: 'GET',
        path: '/can-bo/ho-so',
        headers: { ...PAGE, cookie: staff.session.cookie },
        expectStatus: 200,
      }
    : {
        kind: 'queue',
        label: 'queue API',
        method: 'GET',
        path: `/api/dossiers?${new URLSearchParams({ scope, unit: staff.officer.unitCode }).toString()}`,
        headers: { ...JSON_API, cookie: staff.session.cookie },
        expectStatus: 200,
      };
}

/** An officer reloading the queue: the page and the API in turn. */
export function queuePlan(staff: StaffSession): Plan {
  let i = 0;
  return {
    kind: 'queue',
    next: () => queueRequest(staff, i++ % 2 === 0),
    settle: isExpected,
  };
}

// --- online filing ----------------------------------------------------------------------------------------------------

type FilingStage = 'start' | 'begin' | 'follow' | 'centre' | 'applicant' | 'question' | 'upload' | 'submit';

export interface FilingCounts {
  started: number;
  submitted: number;
  abandoned: number;
  /** Dossier codes of the finished journeys (each a real dossier, submitted online). */
  codes: string[];
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const FOLLOW_LABELS: [RegExp, string][] = [
  [/\/noi-nop$/, 'centre page'],
  [/\/nguoi-nop$/, 'applicant page'],
  [/\/cau-hoi\/[^/?#]+$/, 'question page'],
  [/\/giay-to(\?.*)?$/, 'documents page'],
  [/\/kiem-tra$/, 'summary page'],
  [/^\/nop-ho-so\/da-nop\//, 'confirmation page'],
];

/**
 * A signed-in citizen filing online through the real form routes, following every redirect as a browser does: the
 * start page, a new draft, where to file (a centre chosen among the page's own choices), who files, each question
 * page of the procedure's e-form, one file per paper, the summary, the submission and its confirmation. Any reply
 * that is not the expected one ends the journey; the next one starts afresh.
 */
export function filingPlan(
  citizen: SignedIn,
  procedures: readonly FilingProcedure[],
  random: Random,
  counts: FilingCounts,
): Plan {
  let stage: FilingStage = 'start';
  let procedure = procedures[0]!;
  let base = '';
  let follow = '';
  let slug = '';
  let uploads: number[] = [];
  const boundary = `----xasoload${crypto.randomBytes(8).toString('hex')}`;

  const step = (label: string, rest: Omit<Step, 'kind' | 'label'>): Step => ({
    kind: 'filing',
    label,
    ...rest,
  });
  const redirectWithin = (pattern: string) => new RegExp(`^${base}/${pattern}$`);

  return {
    kind: 'filing',
    next() {
      switch (stage) {
        case 'start':
          procedure = pick(random, procedures);
          counts.started++;
          return step('start page', {
            method: 'GET',
            path: `/nop-ho-so/${encodeURIComponent(procedure.code)}`,
            headers: { ...PAGE, cookie: citizen.cookie },
            expectStatus: 200,
          });
        case 'begin':
          return step('start draft', {
            method: 'POST',
            path: `/nop-ho-so/${encodeURIComponent(procedure.code)}/bat-dau`,
            ...formPost(citizen, {}),
            expectStatus: 303,
            expectLocation: new RegExp(`^/nop-ho-so/nhap/${UUID}/noi-nop$`),
          });
        case 'follow': {
          const headers = { ...PAGE, cookie: citizen.cookie };
          return step(FOLLOW_LABELS.find(([pattern]) => pattern.test(follow))?.[1] ?? 'page', {
            method: 'GET',
            path: follow,
            headers: follow.endsWith('/noi-nop') ? uncompressed(headers) : headers,
            expectStatus: 200,
          });
        }
        case 'centre':
          return step('centre', {
            method: 'POST',
            path: `${base}/noi-nop`,
            ...formPost(citizen, { centre: slug }),
            expectStatus: 303,
            expectLocation: redirectWithin('nguoi-nop'),
          });
        case 'applicant':
          return step('applicant', {
            method: 'POST',
            path: `${base}/nguoi-nop`,
            ...formPost(citizen, {
              'applicant.name': 'Lý Thị Sinh',
              'applicant.idNumber': `0${digits(random, 11)}`,
              'applicant.address': 'Thôn Nà Hỏm, xã Bảo Yên',
              'applicant.phone': `09${digits(random, 8)}`,
              'applicant.email': '',
            }),
            expectStatus: 303,
            expectLocation: redirectWithin('(cau-hoi/[^/?#]+|giay-to)'),
          });
        case 'question':
          return step('question', {
            method: 'POST',
            path: `${base}/cau-hoi/${encodeURIComponent(slug)}`,
            ...formPost(citizen, procedure.answers.get(slug) ?? {}),
            expectStatus: 303,
            expectLocation: redirectWithin('(cau-hoi/[^/?#]+|giay-to)'),
          });
        case 'upload': {
          const position = uploads[0]!;
          const body = Buffer.concat([
            Buffer.from(
              `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${citizen.csrfToken}\r\n` +
                `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="giay-to-${position}.pdf"\r\n` +
                'Content-Type: application/pdf\r\n\r\n',
            ),
            SCAN,
            Buffer.from(`\r\n--${boundary}--\r\n`),
          ]);
          return step('upload', {
            method: 'POST',
            path: `${base}/giay-to/${position}`,
            headers: {
              ...PAGE,
              cookie: citizen.cookie,
              'content-type': `multipart/form-data; boundary=${boundary}`,
            },
            body,
            expectStatus: 303,
            expectLocation: redirectWithin('giay-to\\?da-tai=[^&#]+'),
          });
        }
        case 'submit':
          return step('submit', {
            method: 'POST',
            path: `${base}/nop`,
            ...formPost(citizen, {}),
            expectStatus: 303,
            expectLocation: /^\/nop-ho-so\/da-nop\/\d{5}-\d{6}-\d{4,}\?ma=[0-9A-Z]+$/,
          });
      }
    },

    settle(sent, reply) {
      const ok = isExpected(sent, reply);
      if (!ok || !reply) {
        if (stage !== 'start') counts.abandoned++;
        stage = 'start';
        return false;
      }
      const location = reply.location ?? '';
      switch (stage) {
        case 'start':
          stage = 'begin';
          break;
        case 'begin':
          base = location.slice(0, -'/noi-nop'.length);
          uploads = [...procedure.uploadPositions];
          follow = location;
          stage = 'follow';
          break;
        case 'centre':
        case 'applicant':
        case 'question':
          follow = location;
          stage = 'follow';
          break;
        case 'upload':
          uploads.shift();
          follow = location;
          stage = 'follow';
          break;
        case 'submit':
          follow = location;
          stage = 'follow';
          break;
        case 'follow': {
          const page = follow;
          if (page.endsWith('/noi-nop')) {
            const centres = [...reply.body.matchAll(/<option[^>]* value="(\d{5})"/g)].map((m) => m[1]!);
            if (centres.length === 0) {
              counts.abandoned++;
              stage = 'start';
              return false;
            }
            slug = pick(random, centres);
            stage = 'centre';
          } else if (page.endsWith('/nguoi-nop')) {
            stage = 'applicant';
          } else if (/\/cau-hoi\/[^/?#]+$/.test(page)) {
            slug = decodeURIComponent(page.slice(page.lastIndexOf('/') + 1));
            stage = 'question';
          } else if (/\/giay-to(\?.*)?$/.test(page)) {
            // The documents page links to the summary; the summary page holds the submit button.
            if (uploads.length > 0) stage = 'upload';
            else {
              follow = `${base}/kiem-tra`;
              stage = 'follow';
            }
          } else if (page.endsWith('/kiem-tra')) {
            stage = 'submit';
          } else {
            counts.submitted++;
            const code = /\/da-nop\/([^?]+)/.exec(page)?.[1];
            if (code && counts.codes.length < 10_000) counts.codes.push(code);
            stage = 'start';
          }
          break;
        }
      }
      return true;
    },
  };
}

// --- officer actions -------------------------------------------------------------------------------------------------

export interface UnitSessions {
  desk: SignedIn;
  specialists: SignedIn[];
  leader: SignedIn;
}

interface Command {
  action: string;
  actor: SignedIn;
  key: string;
  body: Record<string, unknown>;
}

interface CycledDossier {
  code: string;
  unitCode: string;
  status: string;
  processed: boolean;
  supplemented: boolean;
  needsAssign: boolean;
  cycles: number;
  /** A command sent without a reply: sent again with the same Idempotency-Key, which is what the key is for. */
  pending: Command | undefined;
  /** After an unexpected reply the dossier is read again before the next action. */
  mustReread: boolean;
  failures: number;
}

export interface ActionCounts {
  byAction: Record<string, number>;
  retried: number;
  retired: number;
}

/**
 * An officer team working its own open dossiers (no other connection touches them, so no two race for one): the
 * desk assigns to a specialist, the specialist processes, sometimes asks for a supplement which the desk then
 * receives, and submits; the leader sends it back for more work, and the cycle starts again, now and then with a
 * re-assignment to the other specialist. Every one of these is allowed in the dossier's status (dossier-workflow.ts)
 * and none of them signs a document, so a dossier lasts the whole run. Receiving, accepting and issuing results are
 * left out: they sign a PDF (about 0.2 s of CPU each), which the bench measures on its own (counter intake).
 */
export function actionsPlan(
  dossiers: readonly OpenDossier[],
  sessions: ReadonlyMap<string, UnitSessions>,
  counts: ActionCounts,
): Plan {
  const cycle: CycledDossier[] = dossiers.map((d) => ({
    code: d.code,
    unitCode: d.unitCode,
    status: d.status,
    processed: false,
    supplemented: false,
    needsAssign: false,
    cycles: 0,
    pending: undefined,
    mustReread: false,
    failures: 0,
  }));
  let turn = 0;
  let current: CycledDossier | undefined;

  const command = (d: CycledDossier): Command => {
    const team = sessions.get(d.unitCode)!;
    const specialist = team.specialists[d.cycles % team.specialists.length]!;
    const key = crypto.randomUUID();
    switch (d.status) {
      case 'received':
        return { action: 'assign', actor: team.desk, key, body: { assigneeId: specialist.userId } };
      case 'awaiting_supplement':
        return { action: 'receive-supplement', actor: team.desk, key, body: {} };
      case 'awaiting_approval':
        return {
          action: 'reject',
          actor: team.leader,
          key,
          body: { reasons: ['Đề nghị bổ sung căn cứ pháp lý trong dự thảo kết quả (kiểm thử tải).'] },
        };
      default:
        if (d.needsAssign)
          return { action: 'assign', actor: team.desk, key, body: { assigneeId: specialist.userId } };
        if (!d.processed)
          return {
            action: 'process',
            actor: specialist,
            key,
            body: { note: 'Đã kiểm tra thành phần hồ sơ, đang dự thảo kết quả (kiểm thử tải).' },
          };
        if (d.cycles % 3 === 2 && !d.supplemented)
          return {
            action: 'request-supplement',
            actor: specialist,
            key,
            body: { items: ['Bản sao giấy tờ chứng minh nơi cư trú (kiểm thử tải)'] },
          };
        return { action: 'submit-for-approval', actor: specialist, key, body: {} };
    }
  };

  const applied = (d: CycledDossier, action: string) => {
    switch (action) {
      case 'assign':
        d.needsAssign = false;
        d.processed = false;
        break;
      case 'process':
        d.processed = true;
        break;
      case 'request-supplement':
        d.supplemented = true;
        break;
      case 'submit-for-approval':
        d.processed = false;
        d.supplemented = false;
        d.cycles++;
        break;
      case 'reject':
        d.needsAssign = d.cycles % 2 === 1;
        break;
    }
  };

  return {
    kind: 'actions',
    next() {
      const open = cycle.filter((d) => d.failures < 3);
      if (open.length === 0) {
        // Nothing left to act on: the desk reads its queue instead, so the connection still offers its share.
        const d = cycle[0]!;
        const desk = sessions.get(d.unitCode)!.desk;
        current = undefined;
        return {
          ...queueRequest({ officer: { role: 'desk_officer', unitCode: d.unitCode }, session: desk }, false),
          kind: 'actions',
          label: 'queue API (no dossier left)',
        };
      }
      const d = open[turn++ % open.length]!;
      current = d;
      if (d.mustReread) {
        const desk = sessions.get(d.unitCode)!.desk;
        return {
          kind: 'actions',
          label: 'dossier read (after an error)',
          method: 'GET',
          path: `/api/dossiers/${d.code}`,
          headers: uncompressed({ ...JSON_API, cookie: desk.cookie }),
          expectStatus: 200,
        };
      }
      if (d.pending) counts.retried++;
      const c = (d.pending ??= command(d));
      return {
        kind: 'actions',
        label: c.action,
        method: 'POST',
        path: `/api/dossiers/${d.code}/${c.action}`,
        headers: {
          ...uncompressed(JSON_API),
          cookie: c.actor.cookie,
          'x-csrf-token': c.actor.csrfToken,
          'content-type': 'application/json',
          'idempotency-key': c.key,
        },
        body: JSON.stringify(c.body),
        expectStatus: 200,
      };
    },

    settle(sent, reply) {
      const d = current;
      const ok = isExpected(sent, reply);
      if (!d) return ok;
      if (!reply) return false; // no answer: the same command, same key, next time
      let parsed: {
        status?: unknown;
        dossier?: { status?: unknown };
        error?: { details?: { status?: unknown } };
      } = {};
      try {
        parsed = JSON.parse(reply.body) as typeof parsed;
      } catch {
        // Not JSON: treated below as a reply without a status.
      }
      const status = d.mustReread
        ? parsed.dossier?.status
        : ok
          ? parsed.status
          : parsed.error?.details?.status;
      const command = d.pending;
      d.pending = undefined;
      if (ok && typeof status === 'string') {
        if (command) {
          applied(d, command.action);
          counts.byAction[command.action] = (counts.byAction[command.action] ?? 0) + 1;
        }
        d.status = status;
        d.mustReread = false;
        d.failures = 0;
        return true;
      }
      // A refused command names the dossier's status (409); anything else is read again before the next action.
      if (typeof status === 'string') d.status = status;
      else d.mustReread = true;
      if (++d.failures === 3) counts.retired++;
      return ok;
    },
  };
}

/** Officer teams' dossiers dealt out to the connections that act: each dossier to one connection only. */
export function dealDossiers(dossiers: readonly OpenDossier[], connections: number, random: Random) {
  const hands: OpenDossier[][] = Array.from({ length: connections }, () => []);
  shuffle(random, [...dossiers]).forEach((d, i) => hands[i % connections]!.push(d));
  return hands;
}
