import { describe, expect, it } from 'vitest';
import type { User } from '../../src/auth/user.js';
import { currentVersions, sectionsFor, splitSentBack } from '../../src/pages/home/home-sections.js';

const person = (...roles: User['roles'][number][]): User => ({ id: 'lan', name: 'Nguyễn Thị Lan', roles });

describe('the home page', () => {
  it('gives each role its section, and a person with several roles every one of theirs', () => {
    expect(sectionsFor(person('approver'))).toEqual(['approvals']);
    expect(sectionsFor(person('author'))).toEqual(['authoring']);
    expect(sectionsFor(person('operator'))).toEqual(['sending', 'gateways']);
    expect(sectionsFor(person('author', 'approver', 'operator'))).toEqual(['approvals', 'authoring', 'sending', 'gateways']);
    expect(sectionsFor(person('integration'))).toEqual([]);
  });

  it('leaves out drafts and rejections a newer version of the template has replaced', () => {
    const versions = [
      { templateId: 'tpl-1', version: 1, latestVersion: 2, status: 'rejected' },
      { templateId: 'tpl-1', version: 2, latestVersion: 2, status: 'draft' },
      { templateId: 'tpl-2', version: 3, latestVersion: 3, status: 'rejected' },
    ];
    expect(currentVersions(versions).map(({ templateId, version }) => `${templateId}@${version}`)).toEqual(['tpl-1@2', 'tpl-2@3']);
  });

  it('puts a campaign an approver sent back with the rejections, not with the drafts', () => {
    const { drafts, sentBack } = splitSentBack([{ id: 'c1' }, { id: 'c2', rejectionReason: 'Sai ngày họp' }]);
    expect(drafts.map(({ id }) => id)).toEqual(['c1']);
    expect(sentBack.map(({ id }) => id)).toEqual(['c2']);
  });
});
