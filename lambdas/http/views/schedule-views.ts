/** What the schedule preview returns: when an expression would fire. */
import { z } from 'zod';
import { timestamp } from './view-fields.js';

export const schedulePreviewView = z
  .strictObject({
    expression: z.string(),
    timezone: z.string(),
    fireTimes: z.array(timestamp).describe('UTC; empty when no fire time was found'),
    searchStoppedAt: timestamp
      .optional()
      .describe(
        'Set when the search stopped at its limit (a bounded amount of work, well under 50 ms) before finding count fire times: ' +
          'no fire time was found from here on, none was looked for later',
      ),
  })
  .meta({ id: 'SchedulePreview' });
