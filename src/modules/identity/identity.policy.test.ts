import assert from 'node:assert/strict';
import { test } from 'node:test';
import { can, decideRoleGrant, grantCovers, type Principal } from './identity.policy.ts';
import type { Role } from './roles.ts';

const commune = { code: '02647', parentCode: '15' };
const otherCommuneSameProvince = { code: '02671', parentCode: '15' };
const communeElsewhere = { code: '00004', parentCode: '01' };
const province = { code: '15', parentCode: null };

function principal(role: Role, unitCode: string | null): Principal {
  return { userId: 'u', username: 'u', fullName: 'U', grants: [{ id: 'g', role, unitCode }] };
}

test('a grant at a commune covers only that commune', () => {
  const grant = { id: 'g', role: 'desk_officer' as const, unitCode: '02647' };
  assert.equal(grantCovers(grant, commune), true);
  assert.equal(grantCovers(grant, otherCommuneSameProvince), false);
  assert.equal(grantCovers(grant, province), false);
});

test('a grant at a province covers the province and its communes, not other provinces', () => {
  const grant = { id: 'g', role: 'province_admin' as const, unitCode: '15' };
  assert.equal(grantCovers(grant, province), true);
  assert.equal(grantCovers(grant, commune), true);
  assert.equal(grantCovers(grant, communeElsewhere), false);
});

test('a citizen grant covers no unit; a system administrator covers every unit', () => {
  assert.equal(grantCovers({ id: 'g', role: 'citizen', unitCode: null }, commune), false);
  assert.equal(grantCovers({ id: 'g', role: 'system_admin', unitCode: '15' }, communeElsewhere), true);
});

test('permissions are checked at the unit', () => {
  assert.equal(can(principal('desk_officer', '02647'), 'unit.administration.view', commune), true);
  assert.equal(
    can(principal('desk_officer', '02647'), 'unit.administration.view', otherCommuneSameProvince),
    false,
  );
  assert.equal(can(principal('desk_officer', '02647'), 'users.manage', commune), false);
  assert.equal(can(principal('leader', '02647'), 'audit.view', commune), true);
  assert.equal(can(principal('citizen', null), 'unit.administration.view', commune), false);
});

test('role grants: which roles, and only inside the granter’s own units', () => {
  assert.equal(decideRoleGrant(principal('province_admin', '15'), 'desk_officer', commune), 'allowed');
  assert.equal(
    decideRoleGrant(principal('province_admin', '15'), 'desk_officer', communeElsewhere),
    'outside-unit',
  );
  assert.equal(
    decideRoleGrant(principal('province_admin', '15'), 'system_admin', commune),
    'role-not-grantable',
  );
  assert.equal(decideRoleGrant(principal('leader', '02647'), 'desk_officer', commune), 'role-not-grantable');
  assert.equal(decideRoleGrant(principal('system_admin', '15'), 'system_admin', communeElsewhere), 'allowed');
});
