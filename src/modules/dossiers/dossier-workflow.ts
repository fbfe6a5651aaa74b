// Pure: the dossier's workflow. Statuses, the actions a dossier accepts in each status, who may take them (from the
// procedure's workflow definition, data with a default), and the status derived from the append-only action log.
// NĐ 118/2025/NĐ-CP and TT 03/2025/TT-VPCP: receive (Mẫu 01) or ask for completion (Mẫu 02) or refuse (Mẫu 03) at
// the desk; assign, process, request supplements (the clock pauses), submit, approve, issue and return the result;
// stop at the applicant's request (Mẫu 05); apologise and reschedule once when late (Mẫu 04).
import type { Role } from '../identity/index.ts';

export const DOSSIER_STATUSES = [
  /** Filed online, waiting for the desk to check and accept it (the deadline starts at acceptance). */
  'submitted',
  /** Asked at the counter (or, for an online filing, by the desk) to complete the dossier (Mẫu 02): not accepted. */
  'returned_for_completion',
  /** Received (Mẫu 01), waiting to be assigned at the processing unit. */
  'received',
  /** Assigned to a specialist and being processed. */
  'processing',
  /** A supplement was requested (Mẫu 02): the clock is stopped until it arrives. */
  'awaiting_supplement',
  /** Submitted to the leader for approval. */
  'awaiting_approval',
  /** Approved; the result document is being issued. */
  'approved',
  /** The result exists and waits at the desk for the applicant. */
  'result_ready',
  /** The result was returned: the dossier is finished. */
  'returned',
  /** Refused (Mẫu 03), at the counter or after examination. */
  'refused',
  /** Stopped at the applicant's request before any decision (Mẫu 05). */
  'stopped',
  /** Withdrawn by the applicant before processing. */
  'withdrawn',
] as const;

export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

export const FINAL_STATUSES: ReadonlySet<DossierStatus> = new Set([
  'returned_for_completion',
  'returned',
  'refused',
  'stopped',
  'withdrawn',
]);

/** The actions that create a dossier at the counter. */
export const INTAKE_ACTIONS = ['receive', 'request_completion', 'refuse_at_intake'] as const;
export type IntakeAction = (typeof INTAKE_ACTIONS)[number];
/** The action that creates a dossier filed online by the applicant. */
export type FilingAction = IntakeAction | 'submit_online';

/** The actions on an existing dossier; each is `POST /api/dossiers/{code}/{kebab-case action}`. */
export const DOSSIER_ACTIONS = [
  'accept',
  'return_online',
  'assign',
  'process',
  'request_supplement',
  'receive_supplement',
  'submit_for_approval',
  'approve',
  'reject',
  'refuse',
  'issue_result',
  'return_result',
  'stop',
  'withdraw',
  'transfer',
  'reschedule',
] as const;
export type DossierAction = (typeof DOSSIER_ACTIONS)[number];
export type AnyAction = FilingAction | DossierAction;

export function isDossierAction(value: string): value is DossierAction {
  return (DOSSIER_ACTIONS as readonly string[]).includes(value);
}

export const WORKFLOW_STEPS = ['reception', 'processing', 'approval', 'result'] as const;
export type WorkflowStep = (typeof WORKFLOW_STEPS)[number];

export interface WorkflowStepDefinition {
  step: WorkflowStep;
  /** Printed on the control slip (Mẫu 06). */
  name: string;
  /** Who acts at this step (at the processing unit; at the receiving centre for reception). */
  roles: Role[];
  /** Share of the processing time this step may use: the shares sum to 1. */
  share: number;
}

export interface WorkflowDefinition {
  steps: WorkflowStepDefinition[];
}

/**
 * The default for procedures without a workflow of their own: the desk receives and returns, a specialist
 * processes, a leader approves. Shares follow the common provincial practice of a tenth for each desk step.
 */
export const DEFAULT_WORKFLOW: WorkflowDefinition = {
  steps: [
    { step: 'reception', name: 'Bộ phận tiếp nhận và trả kết quả', roles: ['desk_officer'], share: 0.1 },
    { step: 'processing', name: 'Chuyên viên xử lý', roles: ['specialist'], share: 0.6 },
    { step: 'approval', name: 'Lãnh đạo phê duyệt', roles: ['leader'], share: 0.2 },
    { step: 'result', name: 'Bộ phận trả kết quả', roles: ['desk_officer'], share: 0.1 },
  ],
};

const ACTING_ROLES: readonly Role[] = ['desk_officer', 'specialist', 'leader', 'records_clerk'];

/** Problems of a workflow definition, in Vietnamese; empty when it is usable. */
export function workflowProblems(definition: WorkflowDefinition): string[] {
  const problems: string[] = [];
  for (const step of WORKFLOW_STEPS) {
    const found = definition.steps.filter((s) => s.step === step);
    if (found.length !== 1) problems.push(`Quy trình phải có đúng một bước "${step}" (có ${found.length}).`);
  }
  for (const s of definition.steps) {
    if (!(WORKFLOW_STEPS as readonly string[]).includes(s.step))
      problems.push(`Bước "${s.step}" không có trong quy trình.`);
    if (s.roles.length === 0) problems.push(`Bước "${s.name}" cần ít nhất một vai trò.`);
    for (const role of s.roles)
      if (!ACTING_ROLES.includes(role)) problems.push(`Vai trò "${role}" không xử lý hồ sơ được.`);
    if (!(s.share > 0 && s.share < 1))
      problems.push(`Tỷ lệ thời gian của bước "${s.name}" phải lớn hơn 0, nhỏ hơn 1.`);
    if (s.name.trim() === '') problems.push('Mỗi bước cần có tên.');
  }
  const total = definition.steps.reduce((sum, s) => sum + s.share, 0);
  if (Math.abs(total - 1) > 0.001)
    problems.push(`Tổng tỷ lệ thời gian các bước phải bằng 1 (đang là ${total}).`);
  return problems;
}

function stepOf(definition: WorkflowDefinition, step: WorkflowStep): WorkflowStepDefinition {
  return (
    definition.steps.find((s) => s.step === step) ?? DEFAULT_WORKFLOW.steps.find((s) => s.step === step)!
  );
}

interface ActionRule {
  from: readonly (DossierStatus | null)[];
  /** The status after the action; 'same' keeps it; 'resume' goes back to the status before the supplement request. */
  to: DossierStatus | 'same' | 'resume';
  /** Whose roles may act: the roles of these steps, plus any extra role named. */
  steps: readonly WorkflowStep[];
  extraRoles?: readonly Role[];
}

const OPEN_BEFORE_DECISION: readonly DossierStatus[] = [
  'received',
  'processing',
  'awaiting_supplement',
  'awaiting_approval',
];

export const ACTION_RULES: Record<AnyAction, ActionRule> = {
  receive: { from: [null], to: 'received', steps: ['reception'] },
  request_completion: { from: [null], to: 'returned_for_completion', steps: ['reception'] },
  refuse_at_intake: { from: [null], to: 'refused', steps: ['reception'] },
  // Filed online by the applicant (a citizen account or a verified guest), not by a staff role.
  submit_online: { from: [null], to: 'submitted', steps: [], extraRoles: ['citizen'] },
  // The desk checks an online filing: accepted, it is received now and its deadline starts (NĐ 45/2020 Art. 11);
  // otherwise it goes back to the applicant with what to complete.
  accept: { from: ['submitted'], to: 'received', steps: ['reception'] },
  return_online: { from: ['submitted'], to: 'returned_for_completion', steps: ['reception'] },
  // The desk forwards to a specialist, or the leader assigns (and re-assigns while processing).
  assign: { from: ['received', 'processing'], to: 'processing', steps: ['reception', 'approval'] },
  process: { from: ['processing'], to: 'same', steps: ['processing'] },
  request_supplement: {
    from: ['received', 'processing'],
    to: 'awaiting_supplement',
    steps: ['processing', 'reception'],
  },
  receive_supplement: { from: ['awaiting_supplement'], to: 'resume', steps: ['reception'] },
  submit_for_approval: { from: ['processing'], to: 'awaiting_approval', steps: ['processing'] },
  approve: { from: ['awaiting_approval'], to: 'approved', steps: ['approval'] },
  reject: { from: ['awaiting_approval'], to: 'processing', steps: ['approval'] },
  refuse: { from: ['received', 'processing', 'awaiting_approval'], to: 'refused', steps: ['approval'] },
  issue_result: {
    from: ['approved'],
    to: 'result_ready',
    steps: ['processing', 'approval'],
    extraRoles: ['records_clerk'],
  },
  return_result: { from: ['result_ready'], to: 'returned', steps: ['result'] },
  // TT 03/2025 Điều 7: stopping is possible only while no decision or result exists.
  stop: { from: OPEN_BEFORE_DECISION, to: 'stopped', steps: ['reception', 'approval'] },
  withdraw: { from: ['submitted', 'received', 'awaiting_supplement'], to: 'withdrawn', steps: ['reception'] },
  // Liên thông: the dossier goes to another unit and waits for assignment there.
  transfer: { from: ['received', 'processing'], to: 'received', steps: ['reception', 'approval'] },
  // Mẫu 04, at most once (NĐ 118/2025); the service checks lateness and the once-only rule.
  reschedule: {
    from: ['received', 'processing', 'awaiting_supplement', 'awaiting_approval', 'approved'],
    to: 'same',
    steps: ['approval'],
  },
};

/** The roles that may take `action` under `definition`. */
export function rolesForAction(action: AnyAction, definition: WorkflowDefinition): Role[] {
  const rule = ACTION_RULES[action];
  const roles = new Set<Role>(rule.steps.flatMap((s) => stepOf(definition, s).roles));
  for (const r of rule.extraRoles ?? []) roles.add(r);
  return [...roles];
}

export type ActionDecision =
  | { ok: true }
  /** The dossier's status does not accept the action: 409 with the allowed actions. */
  | { ok: false; reason: 'status'; allowed: DossierAction[] }
  /** None of the actor's roles at the unit may take it: 403. */
  | { ok: false; reason: 'role'; roles: Role[] };

/** Actions the status accepts and the roles allow; what a page offers the officer. */
export function allowedActions(
  status: DossierStatus,
  rolesAtUnit: readonly Role[],
  definition: WorkflowDefinition,
): DossierAction[] {
  return DOSSIER_ACTIONS.filter(
    (a) =>
      ACTION_RULES[a].from.includes(status) &&
      rolesForAction(a, definition).some((r) => rolesAtUnit.includes(r)),
  );
}

export function decideAction(
  status: DossierStatus | null,
  action: AnyAction,
  rolesAtUnit: readonly Role[],
  definition: WorkflowDefinition,
): ActionDecision {
  const roles = rolesForAction(action, definition);
  if (!roles.some((r) => rolesAtUnit.includes(r))) return { ok: false, reason: 'role', roles };
  if (!ACTION_RULES[action].from.includes(status)) {
    return {
      ok: false,
      reason: 'status',
      allowed: status === null ? [] : allowedActions(status, rolesAtUnit, definition),
    };
  }
  return { ok: true };
}

export interface LoggedAction {
  action: AnyAction;
  statusAfter?: string;
}

/**
 * The status from the action log (OpenCRVS getStatusFromActions): the log is the record, the cached column only
 * a copy. Throws if the log holds a transition the rules do not allow: that is corruption, not a user error.
 */
export function deriveStatus(log: readonly LoggedAction[]): DossierStatus {
  let status: DossierStatus | null = null;
  let beforeSupplement: DossierStatus | null = null;
  for (const entry of log) {
    const rule = ACTION_RULES[entry.action];
    if (!rule.from.includes(status)) {
      throw new Error(
        `Nhật ký hồ sơ không hợp lệ: "${entry.action}" không thể theo sau trạng thái ${status}`,
      );
    }
    if (rule.to === 'same') continue;
    if (rule.to === 'resume') {
      status = beforeSupplement ?? 'received';
      continue;
    }
    if (rule.to === 'awaiting_supplement') beforeSupplement = status;
    status = rule.to;
  }
  if (status === null) throw new Error('Nhật ký hồ sơ trống');
  return status;
}

/** The status after `action` from `status` (the service writes it; deriveStatus of the log agrees). */
export function nextStatus(
  status: DossierStatus | null,
  action: AnyAction,
  statusBeforeSupplement: DossierStatus | null,
): DossierStatus {
  const rule = ACTION_RULES[action];
  if (rule.to === 'same') return status!;
  if (rule.to === 'resume') return statusBeforeSupplement ?? 'received';
  return rule.to;
}

/** The workflow step a status belongs to (whose time share it is using). */
export function stepOfStatus(status: DossierStatus): WorkflowStep | null {
  switch (status) {
    case 'received':
      return 'reception';
    case 'processing':
    case 'awaiting_supplement':
      return 'processing';
    case 'awaiting_approval':
    case 'approved':
      return 'approval';
    case 'result_ready':
      return 'result';
    default:
      return null;
  }
}

/** The end of each step as a share of the whole period, in step order (the last is 1). */
export function cumulativeShares(definition: WorkflowDefinition): Record<WorkflowStep, number> {
  let sum = 0;
  const result = {} as Record<WorkflowStep, number>;
  for (const step of WORKFLOW_STEPS) {
    sum += stepOf(definition, step).share;
    result[step] = step === 'result' ? 1 : sum;
  }
  return result;
}

export function stepName(definition: WorkflowDefinition, step: WorkflowStep): string {
  return stepOf(definition, step).name;
}

/**
 * How long a client transaction id (Idempotency-Key) is honoured: a retry within it answers with the first result.
 * Clients retry within minutes (a lost reply on 3G, a double click); after this a command with the same id is a
 * new one, which the version check and the workflow refuse if the dossier has moved on.
 */
export const COMMAND_RETENTION_DAYS = 30;
