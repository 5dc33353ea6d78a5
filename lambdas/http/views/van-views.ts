/**
 * What the van routes return: a van without its feed token (operators get the feed's address instead), the
 * crew lead's number masked to those who do not call the crew, and the bound crew to operators only.
 */
import { z } from 'zod';
import type { Van } from '../../core/tours/tour-model.js';
import { describing, timestamp } from './view-fields.js';

export const vanView = describing<Omit<Van, 'feedToken'> & { calendarPath?: string }>()(
  z
    .strictObject({
      id: z.string(),
      plate: z.string(),
      kind: z.enum(['van', 'motorbike']),
      crewLead: z.strictObject({
        name: z.string(),
        phone: z.string().describe("Whole to operators and the van's own crew; masked (+8491****678) to others"),
      }),
      homeCommune: z.string().describe('The area code of the commune the van is based in'),
      status: z.enum(['active', 'maintenance']),
      createdBy: z.string(),
      createdAt: timestamp,
      revision: z.number().int(),
      crewUsers: z.array(z.string()).optional().describe('Operators only: the staff users bound to the van as its crew'),
      calendarPath: z.string().optional().describe('Operators only: the secret address of its calendar feed'),
    })
    .meta({ id: 'Van' }),
);

export const vanWithWarningsView = vanView
  .extend({ warnings: z.array(z.string()).describe('The tours it still has, when taken off the road') })
  .meta({ id: 'VanWithWarnings' });
