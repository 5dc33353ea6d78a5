/** What the area routes return: the area tree, one area at a time. */
import { z } from 'zod';
import type { Area } from '../../core/model.js';
import { describing } from './view-fields.js';

export const areaView = describing<Area>()(
  z
    .strictObject({
      code: z.string(),
      name: z.string(),
      parentCode: z.string().optional(),
      path: z.string().describe("Codes from the root down to this area joined by '/'"),
      quiet: z.boolean().optional().describe('A hospital or school: loudspeaker tours pass it by unless emergency'),
    })
    .meta({ id: 'Area' }),
);
