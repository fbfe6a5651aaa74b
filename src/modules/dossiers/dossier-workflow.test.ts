// Every (status, action, role) of the default workflow against a table written out by hand from the process of
// NĐ 118/2025 and TT 03/2025 (not computed from the rules under test), and the status derived from action logs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ROLES, type Role } from '../identity/index.ts';
import {
  DEFAULT_WORKFLOW,
  DOSSIER_ACTIONS,
  DOSSIER_STATUSES,
  allowedActions,
  cumulativeShares,
  decideAction,
  deriveStatus,
  nextStatus,
  workflowProblems,
  type AnyAction,
  type DossierAction,
  type DossierStatus,
  type WorkflowDefinition,
} from './dossier-workflow.ts';

const desk: Role = 'desk_officer';
const specialist: Role = 'specialist';
const leader: Role = 'leader';
const clerk: Role = 'records_clerk';

/** Who may take each action (at the right unit), whatever the status. */
const WHO: Record<DossierAction, Role[]> = {
  accept: [desk],
  return_online: [desk],
  assign: [desk, leader],
  process: [specialist],
  request_supplement: [specialist, desk],
  receive_supplement: [desk],
  submit_for_approval: [specialist],
  approve: [leader],
  reject: [leader],
  refuse: [leader],
  issue_result: [specialist, leader, clerk],
  return_result: [desk],
  stop: [desk, leader],
  withdraw: [desk],
  transfer: [desk, leader],
  reschedule: [leader],
};

/** What each status accepts. Final statuses accept nothing. */
const ACCEPTS: Record<DossierStatus, DossierAction[]> = {
  submitted: ['accept', 'return_online', 'withdraw'],
  returned_for_completion: [],
  received: ['assign', 'request_supplement', 'refuse', 'stop', 'withdraw', 'transfer', 'reschedule'],
  processing: [
    'assign',
    'process',
    'request_supplement',
    'submit_for_approval',
    'refuse',
    'stop',
    'transfer',
    'reschedule',
  ],
  awaiting_supplement: ['receive_supplement', 'stop', 'withdraw', 'reschedule'],
  awaiting_approval: ['approve', 'reject', 'refuse', 'stop', 'reschedule'],
  approved: ['issue_result', 'reschedule'],
  result_ready: ['return_result'],
  returned: [],
  refused: [],
  stopped: [],
  withdrawn: [],
};

describe('default workflow: every status × action × role', () => {
  let cases = 0;
  for (const status of DOSSIER_STATUSES) {
    test(`${status}: each action by each role`, () => {
      for (const action of DOSSIER_ACTIONS) {
        for (const role of ROLES) {
          cases++;
          const mayAct = WHO[action].includes(role);
          const accepted = ACCEPTS[status].includes(action);
          const expected = !mayAct ? 'role' : accepted ? 'ok' : 'status';
          const decision = decideAction(status, action, [role], DEFAULT_WORKFLOW);
          const label = `${status} · ${action} · ${role}`;
          if (expected === 'ok') assert.deepEqual(decision, { ok: true }, label);
          else assert.equal(!decision.ok && decision.reason, expected, label);
          if (!decision.ok && decision.reason === 'status') {
            // 409 lists what this role may do in this status instead.
            assert.deepEqual(
              decision.allowed,
              ACCEPTS[status].filter((a) => WHO[a].includes(role)),
              label,
            );
          }
        }
      }
    });
  }
  test('the table covered every combination', () => {
    assert.equal(cases, DOSSIER_STATUSES.length * DOSSIER_ACTIONS.length * ROLES.length);
  });
});

describe('intake actions', () => {
  test('only a desk officer receives, asks for completion or refuses at the counter', () => {
    for (const action of ['receive', 'request_completion', 'refuse_at_intake'] as const) {
      for (const role of ROLES) {
        const decision = decideAction(null, action, [role], DEFAULT_WORKFLOW);
        assert.equal(decision.ok, role === desk, `${action} by ${role}`);
      }
      assert.equal(decideAction('received', action, [desk], DEFAULT_WORKFLOW).ok, false, 'not twice');
    }
  });
});

describe('status from the action log', () => {
  const run = (actions: AnyAction[]) => deriveStatus(actions.map((action) => ({ action })));

  test('the whole path ends returned', () => {
    assert.equal(
      run([
        'receive',
        'assign',
        'process',
        'request_supplement',
        'receive_supplement',
        'submit_for_approval',
        'reject',
        'submit_for_approval',
        'approve',
        'issue_result',
        'return_result',
      ]),
      'returned',
    );
  });

  test('a supplement goes back to where it was asked: received or processing', () => {
    assert.equal(run(['receive', 'request_supplement', 'receive_supplement']), 'received');
    assert.equal(run(['receive', 'assign', 'request_supplement', 'receive_supplement']), 'processing');
  });

  test('a transfer waits for assignment at the new unit; a reschedule changes no status', () => {
    assert.equal(run(['receive', 'assign', 'transfer']), 'received');
    assert.equal(run(['receive', 'assign', 'reschedule']), 'processing');
  });

  test('at the counter: completion and refusal are final', () => {
    assert.equal(run(['request_completion']), 'returned_for_completion');
    assert.equal(run(['refuse_at_intake']), 'refused');
  });

  test('a log that breaks the rules is corruption, not a status', () => {
    assert.throws(() => run(['receive', 'approve']), /không thể theo sau/);
    assert.throws(() => run([]), /trống/);
    assert.throws(() => run(['receive', 'return_result']));
  });

  test('nextStatus agrees with the log for every accepted step', () => {
    for (const status of DOSSIER_STATUSES) {
      for (const action of ACCEPTS[status]) {
        const before = status === 'awaiting_supplement' ? 'processing' : null;
        const next = nextStatus(status, action, before);
        assert.ok(DOSSIER_STATUSES.includes(next), `${status} + ${action}`);
      }
    }
  });
});

describe('a procedure’s own workflow', () => {
  const own: WorkflowDefinition = {
    steps: [
      { step: 'reception', name: 'Bộ phận một cửa', roles: [desk], share: 0.1 },
      { step: 'processing', name: 'Công chức tư pháp - hộ tịch', roles: [specialist], share: 0.5 },
      // A procedure the specialist may also approve (a leader's delegation, ủy quyền).
      { step: 'approval', name: 'Phê duyệt', roles: [leader, specialist], share: 0.3 },
      { step: 'result', name: 'Trả kết quả', roles: [desk, clerk], share: 0.1 },
    ],
  };

  test('roles come from its steps', () => {
    assert.equal(decideAction('awaiting_approval', 'approve', [specialist], own).ok, true);
    assert.equal(decideAction('awaiting_approval', 'approve', [specialist], DEFAULT_WORKFLOW).ok, false);
    assert.equal(decideAction('result_ready', 'return_result', [clerk], own).ok, true);
    assert.deepEqual(allowedActions('result_ready', [clerk], own), ['return_result']);
  });

  test('shares accumulate to 1 at the last step', () => {
    const shares = cumulativeShares(own);
    assert.ok(Math.abs(shares.reception - 0.1) < 1e-9);
    assert.ok(Math.abs(shares.processing - 0.6) < 1e-9);
    assert.ok(Math.abs(shares.approval - 0.9) < 1e-9);
    assert.equal(shares.result, 1);
  });

  test('an unusable definition is explained', () => {
    assert.deepEqual(workflowProblems(own), []);
    assert.deepEqual(workflowProblems(DEFAULT_WORKFLOW), []);
    const broken: WorkflowDefinition = {
      steps: [
        { step: 'reception', name: 'Một cửa', roles: [], share: 0.5 },
        { step: 'processing', name: 'Xử lý', roles: ['citizen'], share: 0.8 },
      ],
    };
    const problems = workflowProblems(broken).join(' ');
    assert.match(problems, /cần ít nhất một vai trò/);
    assert.match(problems, /không xử lý hồ sơ được/);
    assert.match(problems, /Tổng tỷ lệ thời gian/);
    assert.match(problems, /đúng một bước "approval"/);
  });
});
