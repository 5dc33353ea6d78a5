/** What the schedule preview returns: when an expression would fire. */
import { z } from 'zod';
import { timestamp } from './view-fields.js';

export const schedulePreviewView = z
  .strictObject({
    expression: z.string(),
    timezone: z.string(),
    fireTimes: z.array(timestamp).describe('UTC'),
  })
  .meta({ id: 'SchedulePreview' });
