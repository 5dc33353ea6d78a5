import { approvalHash } from '../auth/approval-hash.js';
import type { Caller } from '../auth/caller.js';
import { requireSecondPerson } from '../auth/four-eyes.js';
import { audit } from '../audit/audit.js';
import type { Deps } from '../deps.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import { TemplateStatus, type Page, type PageRequest, type Template, type TemplateVersion } from '../model.js';
import { readingSeconds, WORDS_PER_MINUTE } from '../tours/reading-time.js';
import { checkPlaceholders, smsSummary, type Placeholder } from './placeholders.js';

export interface TemplateContent {
  body: string;
  placeholders: Placeholder[];
  /** Loudspeaker scripts only; 2 by default. */
  repetitionsPerStop?: number;
}

/** An SMS version says what it costs in parts; a loudspeaker script how long it takes to read. */
export type TemplateVersionView = TemplateVersion &
  ({ sms: ReturnType<typeof smsSummary> } | { reading: { seconds: number; wordsPerMinute: number } });

const DEFAULT_REPETITIONS_PER_STOP = 2;
export type TemplateView = Template & { versions: TemplateVersionView[] };

type TemplateDeps = Pick<Deps, 'templates' | 'audit' | 'clock'>;

export async function createTemplate(
  deps: TemplateDeps,
  caller: Caller,
  input: { name: string; channel?: Template['channel'] } & TemplateContent,
): Promise<TemplateView> {
  const channel = input.channel ?? 'sms';
  checkContent(channel, input);
  const now = deps.clock.now();
  const template: Template = {
    id: newId('tpl', now),
    name: input.name,
    channel,
    latestVersion: 1,
    createdBy: caller.id,
    createdAt: now.toISOString(),
  };
  await deps.templates.insertTemplate(template, draftVersion(template, 1, input, caller, now));
  await audit(deps, caller.id, 'template.created', template.id, { version: 1 });
  return getTemplate(deps, template.id);
}

/** Edits make a new draft version; approved versions never change. */
export async function addTemplateVersion(
  deps: TemplateDeps,
  caller: Caller,
  templateId: string,
  input: TemplateContent,
): Promise<TemplateView> {
  const template = await requireTemplate(deps, templateId);
  checkContent(template.channel, input);
  const version = template.latestVersion + 1;
  await deps.templates.insertTemplateVersion(draftVersion(template, version, input, caller, deps.clock.now()));
  await audit(deps, caller.id, 'template.version_added', templateId, { version });
  return getTemplate(deps, templateId);
}

/** A submission takes the place of the version pending before it: an approver never has two to choose from. */
export async function submitTemplate(deps: TemplateDeps, caller: Caller, templateId: string, version?: number): Promise<TemplateView> {
  const current = await requireVersion(deps, templateId, version);
  requireStatus(current, TemplateStatus.draft, 'submitted');
  const now = deps.clock.now().toISOString();
  await deps.templates.updateTemplateVersion(
    { ...current, status: TemplateStatus.pendingApproval, submittedAt: now },
    TemplateStatus.draft,
  );
  await audit(deps, caller.id, 'template.submitted', templateId, { version: current.version });
  await supersedePending(deps, caller, templateId);
  return getTemplate(deps, templateId);
}

/** The version is named, never taken to be the latest: one added meanwhile is never approved unseen. */
export async function approveTemplate(deps: TemplateDeps, caller: Caller, templateId: string, version: number): Promise<TemplateView> {
  return decide(deps, caller, templateId, version, TemplateStatus.approved);
}

export async function rejectTemplate(
  deps: TemplateDeps,
  caller: Caller,
  templateId: string,
  reason: string,
  version: number,
): Promise<TemplateView> {
  return decide(deps, caller, templateId, version, TemplateStatus.rejected, reason);
}

export async function getTemplate(deps: TemplateDeps, templateId: string): Promise<TemplateView> {
  const template = await requireTemplate(deps, templateId);
  const versions = await deps.templates.listTemplateVersions(templateId);
  return { ...template, versions: versions.map((version) => withSummary(template, version)) };
}

export async function listTemplates(deps: TemplateDeps, page: PageRequest): Promise<Page<Template>> {
  return deps.templates.listTemplates(page);
}

/**
 * Exactly what approving a version decides, as its approval hash covers it: the text and its placeholders,
 * the channel it goes out on and, for a script, how often it is read at each stop.
 */
export function templateApprovedContent(template: Pick<Template, 'id' | 'channel'>, version: TemplateVersion) {
  return {
    templateId: template.id,
    version: version.version,
    channel: template.channel,
    body: version.body,
    placeholders: version.placeholders.map(({ name, maxLength }) => ({ name, maxLength })),
    repetitionsPerStop: version.repetitionsPerStop,
  };
}

/** The approved version a campaign sends or a tour reads out; refuses any other state or channel. */
export async function approvedVersion(
  deps: TemplateDeps,
  templateId: string,
  version: number,
  channel: Template['channel'],
  /** The input's names for the template and version, for the errors. */
  fields = { id: 'templateId', version: 'templateVersion' },
): Promise<TemplateVersion> {
  const template = await deps.templates.getTemplate(templateId);
  if (template && template.channel !== channel) {
    throw ValidationError.field(fields.id, `template ${templateId} is for ${template.channel}, not ${channel}`);
  }
  const found = await deps.templates.getTemplateVersion(templateId, version);
  if (!found) throw ValidationError.field(fields.version, `template ${templateId} has no version ${version}`);
  if (found.status !== TemplateStatus.approved) {
    throw ValidationError.field(fields.version, `version ${version} is ${found.status}, not approved`);
  }
  return found;
}

async function decide(
  deps: TemplateDeps,
  caller: Caller,
  templateId: string,
  version: number,
  status: typeof TemplateStatus.approved | typeof TemplateStatus.rejected,
  reason?: string,
): Promise<TemplateView> {
  const template = await requireTemplate(deps, templateId);
  const current = await requireVersion(deps, templateId, version);
  requireSecondPerson(caller, current.author, `Version ${current.version} of template ${templateId}`);
  requireStatus(current, TemplateStatus.pendingApproval, status);
  const approvedHash = status === TemplateStatus.approved ? approvalHash(templateApprovedContent(template, current)) : undefined;
  const decided: TemplateVersion = {
    ...current,
    status,
    decidedBy: caller.id,
    decidedAt: deps.clock.now().toISOString(),
    ...(reason !== undefined && { rejectionReason: reason }),
    ...(approvedHash && { approvedHash }),
  };
  await deps.templates.updateTemplateVersion(decided, TemplateStatus.pendingApproval);
  await audit(deps, caller.id, `template.${status}`, templateId, {
    version: current.version,
    ...(reason !== undefined && { reason }),
    ...(approvedHash && { approvedHash }),
  });
  return getTemplate(deps, templateId);
}

/**
 * Leaves one version pending: the one submitted last (the higher version on a tie). Every submission ends
 * with this, so two submissions at once still leave one, whichever finishes second.
 */
async function supersedePending(deps: TemplateDeps, caller: Caller, templateId: string): Promise<void> {
  const pending = (await deps.templates.listTemplateVersions(templateId))
    .filter((version) => version.status === TemplateStatus.pendingApproval)
    .sort((a, b) => (a.submittedAt ?? '').localeCompare(b.submittedAt ?? '') || a.version - b.version);
  const standing = pending.at(-1);
  for (const older of pending.slice(0, -1)) {
    try {
      await deps.templates.updateTemplateVersion({ ...older, status: TemplateStatus.superseded }, TemplateStatus.pendingApproval);
    } catch (error) {
      // Decided, or superseded by a submission running beside this one, meanwhile: nothing left to do.
      if (error instanceof ConflictError) continue;
      throw error;
    }
    await audit(deps, caller.id, 'template.superseded', templateId, { version: older.version, supersededBy: standing!.version });
  }
}

function draftVersion(template: Template, version: number, content: TemplateContent, caller: Caller, now: Date): TemplateVersion {
  return {
    templateId: template.id,
    version,
    body: content.body,
    placeholders: content.placeholders,
    ...(template.channel === 'loudspeaker' && {
      repetitionsPerStop: content.repetitionsPerStop ?? DEFAULT_REPETITIONS_PER_STOP,
    }),
    status: TemplateStatus.draft,
    author: caller.id,
    createdAt: now.toISOString(),
  };
}

/** A script is read aloud as written: no placeholders to fill at each stop. */
function checkContent(channel: Template['channel'], content: TemplateContent): void {
  if (channel === 'sms') {
    if (content.repetitionsPerStop !== undefined)
      throw ValidationError.field('repetitionsPerStop', 'only loudspeaker scripts are repeated');
    checkPlaceholders(content.body, content.placeholders);
  } else if (content.placeholders.length > 0 || /\{\{/.test(content.body)) {
    throw ValidationError.field('placeholders', 'a loudspeaker script is read as written and takes no placeholders');
  }
}

function withSummary(template: Template, version: TemplateVersion): TemplateVersionView {
  if (template.channel === 'loudspeaker') {
    return { ...version, reading: { seconds: readingSeconds(version.body), wordsPerMinute: WORDS_PER_MINUTE } };
  }
  return { ...version, sms: smsSummary(version.body, version.placeholders) };
}

function requireStatus(version: TemplateVersion, expected: TemplateStatus, action: string): void {
  if (version.status !== expected) {
    throw new ConflictError(`Version ${version.version} is ${version.status}; only a ${expected} version can be ${action}`);
  }
}

async function requireTemplate(deps: TemplateDeps, templateId: string): Promise<Template> {
  const template = await deps.templates.getTemplate(templateId);
  if (!template) throw new NotFoundError(`No template ${templateId}`);
  return template;
}

async function requireVersion(deps: TemplateDeps, templateId: string, version?: number): Promise<TemplateVersion> {
  const template = await requireTemplate(deps, templateId);
  const wanted = version ?? template.latestVersion;
  const found = await deps.templates.getTemplateVersion(templateId, wanted);
  if (!found) throw new NotFoundError(`Template ${templateId} has no version ${wanted}`);
  return found;
}
