/** What the tour and coverage routes return: tours, their runs, the crew's script, and coverage. */
import { z } from 'zod';
import type { Coverage } from '../../core/tours/coverage.js';
import { TourStatus, type PlannedStop, type Tour, type TourRun, type TourStop } from '../../core/tours/tour-model.js';
import type { tourScript } from '../../core/tours/tour-use-cases.js';
import { priority, scheduleView } from './campaign-views.js';
import { describing, reviewFields, timestamp } from './view-fields.js';

export const tourStopView = describing<TourStop>()(
  z
    .strictObject({
      areaCode: z.string(),
      minutes: z.number().int().describe('Minutes broadcasting there'),
    })
    .meta({ id: 'TourStop' }),
);

export const tourView = describing<Tour>()(
  z
    .strictObject({
      id: z.string(),
      name: z.string(),
      vanId: z.string(),
      scriptId: z.string(),
      scriptVersion: z.number().int(),
      schedule: scheduleView,
      stops: z.array(tourStopView).describe('In route order'),
      priority,
      status: z.enum(TourStatus),
      warnings: z.array(z.string()).describe('What the soft rules found: quiet areas passed by, stops shorter than the script'),
      createdBy: z.string(),
      createdAt: timestamp,
      nextFireAt: timestamp.optional().describe('The next start; absent once none is due'),
      runCount: z.number().int(),
      revision: z.number().int(),
      ...reviewFields,
    })
    .meta({ id: 'Tour' }),
);

export const plannedStopView = describing<PlannedStop>()(
  tourStopView.extend({ startsAt: timestamp, endsAt: timestamp }).meta({ id: 'PlannedStop' }),
);

export const tourRunView = describing<TourRun>()(
  z
    .strictObject({
      tourId: z.string(),
      runId: z.string(),
      vanId: z.string(),
      startsAt: timestamp,
      endsAt: timestamp,
      stops: z.array(plannedStopView),
      status: z.enum(['dispatched', 'completed', 'missed', 'cancelled']),
      crewCampaignId: z.string().describe("The campaign that carried the crew lead's SMS"),
      confirmBy: timestamp.describe('Unconfirmed after this, the run is missed'),
      confirmed: z.array(z.strictObject({ areaCode: z.string(), at: timestamp, by: z.string() })),
      notes: z.array(z.strictObject({ at: timestamp, by: z.string(), text: z.string() })),
    })
    .meta({ id: 'TourRun' }),
);

export const tourScriptView = describing<Awaited<ReturnType<typeof tourScript>>>()(
  z
    .strictObject({
      tourId: z.string(),
      title: z.string(),
      code: z.string().describe('The script id and version, e.g. tpl_... v1'),
      text: z.string(),
      repetitionsPerStop: z.number().int(),
      readingSeconds: z.number().describe('One reading'),
    })
    .meta({ id: 'TourScript' }),
);

const areaOfCoverage = { code: z.string(), name: z.string(), path: z.string() };

export const coverageView = describing<Coverage>()(
  z
    .strictObject({
      from: timestamp,
      to: timestamp,
      areas: z.array(
        z
          .strictObject({
            ...areaOfCoverage,
            planned: z.number().int(),
            confirmed: z.number().int(),
            missed: z.number().int(),
            quiet: z.literal(true).optional(),
          })
          .meta({ id: 'AreaCoverage' }),
      ),
      uncovered: z.array(z.strictObject(areaOfCoverage)).describe('Residential areas with no broadcast planned'),
    })
    .meta({ id: 'Coverage' }),
);
