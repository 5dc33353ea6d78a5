/**
 * What the home page shows whom: each role its own section, all of them for a person with several roles.
 */
import { hasRole, type User } from '../../auth/user';

export type HomeSection = 'approvals' | 'sending' | 'gateways' | 'authoring';

export function sectionsFor(user: User): HomeSection[] {
  const sections: HomeSection[] = [];
  if (hasRole(user, 'approver')) sections.push('approvals');
  if (hasRole(user, 'author')) sections.push('authoring');
  if (hasRole(user, 'operator', 'viewer')) sections.push('sending', 'gateways');
  return sections;
}

/**
 * A draft or a rejection needs its author only while no newer version of the template has been written:
 * a rejected version stays rejected for good, and a superseded draft will never be submitted.
 */
export function currentVersions<V extends { version: number; latestVersion: number }>(versions: readonly V[]): V[] {
  return versions.filter(({ version, latestVersion }) => version === latestVersion);
}

/** A campaign or tour an approver sent back is a draft again, carrying the reason: it goes with the rejections. */
export function splitSentBack<T extends { rejectionReason?: string | undefined }>(drafts: readonly T[]): { drafts: T[]; sentBack: T[] } {
  return {
    drafts: drafts.filter(({ rejectionReason }) => !rejectionReason),
    sentBack: drafts.filter(({ rejectionReason }) => rejectionReason),
  };
}
