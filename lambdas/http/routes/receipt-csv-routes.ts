import { z } from 'zod';
import { RECEIPT_STATUSES } from '../../core/model.js';
import { receiptsCsv, RECEIPT_CSV_COLUMNS } from '../../core/receipts/receipts-csv.js';
import { route } from '../route.js';
import { PHONE_WHOLE_FOR, phoneFor } from '../views/phone-views.js';

/** Rows in one file part: about 100 bytes each, so a part stays well under a Lambda response's 6 MB. */
const MAX_ROWS = 20_000;

export const receiptCsvRoutes = [
  route({
    method: 'GET',
    path: '/v1/campaigns/{id}/receipts.csv',
    summary: `Receipts of a campaign as a CSV download (${RECEIPT_CSV_COLUMNS.join(',')}), with the filters of the receipts list`,
    description:
      `At most ${MAX_ROWS} rows a request: when there are more, the Link header (rel="next") names the next part. ` +
      'Numbers are whole to operators, masked to viewers.',
    tag: 'campaigns',
    access: ['operator', 'viewer'],
    query: z.object({
      status: z.enum(RECEIPT_STATUSES).optional(),
      runId: z.string().min(1).max(100).optional(),
      limit: z.coerce.number().int().min(1).max(MAX_ROWS).default(MAX_ROWS).describe(`Rows in this part, 1-${MAX_ROWS}`),
      cursor: z.string().min(1).max(2048).optional().describe('From the Link header of the part before'),
    }),
    responses: { 200: { description: 'The receipts with a header row; Link rel="next" when more rows follow', mediaType: 'text/csv' } },
    handle: async ({ deps, caller, params, query }) => {
      const { status, runId, limit, cursor } = query;
      const campaignId = params.id!;
      const part = await receiptsCsv(
        deps,
        campaignId,
        { ...(status && { status }), ...(runId && { runId }) },
        { limit, ...(cursor && { cursor }) },
        (phone) => phoneFor(caller, phone, PHONE_WHOLE_FOR.receipts),
      );
      const next = part.nextCursor && nextPartPath(campaignId, { status, runId, limit, cursor: part.nextCursor });
      return {
        status: 200,
        text: part.csv,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${fileName(campaignId)}-receipts.csv"`,
          ...(next && { link: `<${next}>; rel="next"` }),
        },
      };
    },
  }),
];

function nextPartPath(campaignId: string, query: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams(
    Object.entries(query).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)] as [string, string]])),
  );
  return `/v1/campaigns/${encodeURIComponent(campaignId)}/receipts.csv?${search.toString()}`;
}

/** The campaign id as a file name: ids are ours, but nothing unsafe reaches the header. */
function fileName(campaignId: string): string {
  return campaignId.replace(/[^A-Za-z0-9_.-]/g, '_');
}
