/** What the segment routes return: segments, alone in a list or with the live counts of who they reach. */
import { z } from 'zod';
import type { Segment, SegmentCounts, SegmentFilter } from '../../core/model.js';
import { CARRIERS } from '../../core/subscribers/carriers.js';
import { describing, timestamp } from './view-fields.js';

export const segmentFilterView = describing<SegmentFilter>()(
  z
    .strictObject({
      areas: z.array(z.string()).describe('Area codes, each with its subtree; empty: every area'),
      tags: z.array(z.string()).describe('Any of these; empty: any tag'),
      carriers: z.array(z.enum(CARRIERS)).describe('Empty: every carrier'),
    })
    .meta({ id: 'SegmentFilter' }),
);

export const segmentCountsView = describing<SegmentCounts>()(
  z
    .strictObject({
      total: z.number().int(),
      byCarrier: z.record(z.string(), z.number().int()).describe("By carrier code, 'unknown' without a known carrier"),
      byArea: z.record(z.string(), z.number().int()).describe('By the area code each subscriber is filed under'),
    })
    .meta({ id: 'SegmentCounts' }),
);

export const segmentView = describing<Segment>()(
  z
    .strictObject({
      id: z.string(),
      name: z.string(),
      filter: segmentFilterView,
      createdBy: z.string(),
      createdAt: timestamp,
    })
    .meta({ id: 'Segment' }),
);

export const segmentWithCountsView = describing<Segment & { counts: SegmentCounts }>()(
  segmentView.extend({ counts: segmentCountsView }).meta({ id: 'SegmentWithCounts' }),
);
