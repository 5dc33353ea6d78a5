import { describe, expect, it } from 'vitest';
import type { User } from '../../src/auth/user.js';
import { decisionRight } from '../../src/pages/templates/decision-rights.js';
import { contentOf, draftFrom, sameContent } from '../../src/pages/templates/template-draft.js';

const minh: User = { id: 'minh', name: 'Trần Văn Minh', roles: ['approver'] };
const lan: User = { id: 'lan', name: 'Nguyễn Thị Lan', roles: ['author', 'approver'] };

describe('deciding on a template version', () => {
  it('offers the decision to an approver on a pending version written by someone else', () => {
    expect(decisionRight(minh, { status: 'pending_approval', author: 'lan' })).toBe('may-decide');
  });

  it('never to the version’s own author, even one who is also an approver', () => {
    expect(decisionRight(lan, { status: 'pending_approval', author: 'lan' })).toBe('own-version');
  });

  it('not to someone without the approver role, nor on a version that is not pending', () => {
    expect(decisionRight({ ...lan, roles: ['author'] }, { status: 'pending_approval', author: 'hoa' })).toBe('not-approver');
    expect(decisionRight(minh, { status: 'draft', author: 'lan' })).toBe('not-pending');
    expect(decisionRight(minh, { status: 'approved', author: 'lan' })).toBe('not-pending');
    expect(decisionRight(minh, { status: 'superseded', author: 'lan' })).toBe('not-pending');
  });
});

describe('the editor draft', () => {
  it('sends the placeholders with numeric maximum lengths, and a script without any', () => {
    const draft = draftFrom({ body: 'Kính gửi {{ten}}', placeholders: [{ name: 'ten', maxLength: 40 }] });
    expect(contentOf(draft, 'sms')).toEqual({ body: 'Kính gửi {{ten}}', placeholders: [{ name: 'ten', maxLength: 40 }] });
    expect(contentOf({ ...draft, repetitionsPerStop: '3' }, 'loudspeaker')).toEqual({
      body: 'Kính gửi {{ten}}',
      placeholders: [],
      repetitionsPerStop: 3,
    });
  });

  it('tells an unchanged draft from an edited one', () => {
    const version = { body: 'Loa loa', placeholders: [{ name: 'ten', maxLength: 40 }] };
    expect(sameContent(draftFrom(version), draftFrom(version))).toBe(true);
    expect(sameContent(draftFrom(version), { ...draftFrom(version), body: 'Loa loa!' })).toBe(false);
  });
});
