/**
 * What the editor holds while an author types, and the API body made from it. Numbers stay as typed
 * (strings) so that a half-typed maximum length is never rewritten under the author's fingers.
 */
import type { Placeholder } from './template-counter';

export type Channel = 'sms' | 'loudspeaker';

export interface PlaceholderDraft {
  /** Stable across renames, for React's list keys. */
  key: number;
  name: string;
  maxLength: string;
}

export interface TemplateDraft {
  body: string;
  placeholders: PlaceholderDraft[];
  repetitionsPerStop: string;
}

export const DEFAULT_MAX_LENGTH = 30;
const DEFAULT_REPETITIONS = '2';

let nextKey = 1;

export function placeholderDraft(name = '', maxLength: number | string = DEFAULT_MAX_LENGTH): PlaceholderDraft {
  return { key: nextKey++, name, maxLength: String(maxLength) };
}

export function emptyDraft(): TemplateDraft {
  return { body: '', placeholders: [], repetitionsPerStop: DEFAULT_REPETITIONS };
}

export function draftFrom(version: {
  body: string;
  placeholders: readonly Placeholder[];
  repetitionsPerStop?: number | undefined;
}): TemplateDraft {
  return {
    body: version.body,
    placeholders: version.placeholders.map(({ name, maxLength }) => placeholderDraft(name, maxLength)),
    repetitionsPerStop: String(version.repetitionsPerStop ?? DEFAULT_REPETITIONS),
  };
}

/** Placeholders as the counter and the API take them; a maximum that is not a number is left for them to refuse. */
export function declaredPlaceholders(draft: TemplateDraft): Placeholder[] {
  return draft.placeholders.map(({ name, maxLength }) => ({ name: name.trim(), maxLength: Number(maxLength.trim() || Number.NaN) }));
}

export function contentOf(draft: TemplateDraft, channel: Channel) {
  if (channel === 'loudspeaker') {
    return { body: draft.body, placeholders: [], repetitionsPerStop: Number(draft.repetitionsPerStop.trim() || Number.NaN) };
  }
  return { body: draft.body, placeholders: declaredPlaceholders(draft) };
}

export function sameContent(a: TemplateDraft, b: TemplateDraft): boolean {
  const shape = (draft: TemplateDraft) =>
    JSON.stringify([draft.body, draft.placeholders.map(({ name, maxLength }) => [name, maxLength]), draft.repetitionsPerStop]);
  return shape(a) === shape(b);
}
