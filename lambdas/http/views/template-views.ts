/** What the template routes return: templates, their versions, and what each version costs. */
import { z } from 'zod';
import { TemplateStatus, type Template } from '../../core/model.js';
import type { Placeholder } from '../../core/templates/placeholders.js';
import type { TemplateVersionView, TemplateView } from '../../core/templates/template-use-cases.js';
import { describing, reviewFields, timestamp } from './view-fields.js';

export const placeholderView = describing<Placeholder>()(
  z
    .strictObject({
      name: z.string().describe('Used in the body as {{name}}'),
      maxLength: z.number().int().describe('Longest value accepted, in UTF-16 code units'),
    })
    .meta({ id: 'Placeholder' }),
);

export const templateView = describing<Template>()(
  z
    .strictObject({
      id: z.string(),
      name: z.string(),
      channel: z.enum(['sms', 'loudspeaker']),
      latestVersion: z.number().int(),
      createdBy: z.string(),
      createdAt: timestamp,
    })
    .meta({ id: 'Template' }),
);

const versionFields = {
  templateId: z.string(),
  version: z.number().int(),
  body: z.string(),
  placeholders: z.array(placeholderView),
  repetitionsPerStop: z.number().int().optional().describe('Loudspeaker scripts: readings at each stop'),
  status: z.enum(TemplateStatus),
  author: z.string(),
  createdAt: timestamp,
  ...reviewFields,
};

export const smsEncoding = z.enum(['GSM-7', 'UCS-2']);

const smsVersionView = z
  .strictObject({
    ...versionFields,
    sms: z
      .strictObject({ encoding: smsEncoding, parts: z.number().int(), partsWithoutDiacritics: z.number().int() })
      .describe('The parts it costs with every placeholder at its maximum length'),
  })
  .meta({ id: 'SmsTemplateVersion' });

const loudspeakerVersionView = z
  .strictObject({
    ...versionFields,
    reading: z.strictObject({ seconds: z.number(), wordsPerMinute: z.number() }).describe('How long one reading takes'),
  })
  .meta({ id: 'LoudspeakerTemplateVersion' });

export const templateVersionView = describing<TemplateVersionView>()(
  z.union([smsVersionView, loudspeakerVersionView]).meta({ id: 'TemplateVersion' }),
);

export const templateWithVersionsView = describing<TemplateView>()(
  templateView.extend({ versions: z.array(templateVersionView) }).meta({ id: 'TemplateWithVersions' }),
);
