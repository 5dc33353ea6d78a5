/** What the list of template versions by status returns: each version with its template's name. */
import { z } from 'zod';
import { TemplateStatus } from '../../core/model.js';
import type { ListedTemplateVersion } from '../../core/templates/template-version-lists.js';
import { placeholderView } from './template-views.js';
import { describing, pageOf, reviewFields, timestamp } from './view-fields.js';

export const listedTemplateVersionView = describing<ListedTemplateVersion>()(
  z
    .strictObject({
      templateId: z.string(),
      templateName: z.string(),
      channel: z.enum(['sms', 'loudspeaker']),
      latestVersion: z.number().int().describe("The template's latest version: a rejection below it was already followed by a new version"),
      version: z.number().int(),
      body: z.string(),
      placeholders: z.array(placeholderView),
      repetitionsPerStop: z.number().int().optional().describe('Loudspeaker scripts: readings at each stop'),
      status: z.enum(Object.values(TemplateStatus)),
      author: z.string(),
      createdAt: timestamp,
      ...reviewFields,
    })
    .meta({ id: 'ListedTemplateVersion' }),
);

export const listedTemplateVersionPageView = pageOf(listedTemplateVersionView).meta({ id: 'ListedTemplateVersionPage' });
