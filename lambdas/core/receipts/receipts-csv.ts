/**
 * A campaign's receipts as CSV for operators: one file part of at most `limit` rows, read from the store
 * page by page. The API answers with a whole body (the Lambda behind API Gateway cannot stream), so a
 * large campaign comes in parts, each naming the cursor of the next.
 */
import type { Deps } from '../deps.js';
import type { Receipt } from '../model.js';
import { requireCampaign } from '../campaigns/campaign-use-cases.js';

export const RECEIPT_CSV_COLUMNS = [
  'phone',
  'carrier',
  'status',
  'gateway',
  'attempts',
  'error',
  'queuedAt',
  'submittedAt',
  'doneAt',
] as const;

/** Rows read from the store per request while a part is built. */
const STORE_PAGE = 1_000;

export async function receiptsCsv(
  deps: Pick<Deps, 'campaigns' | 'receipts'>,
  campaignId: string,
  filter: { status?: Receipt['status']; runId?: string },
  part: { limit: number; cursor?: string },
  /** How a number is shown to the caller: whole, or masked to a role that does not need it whole. */
  showPhone: (phone: string) => string = (phone) => phone,
): Promise<{ csv: string; rows: number; nextCursor?: string }> {
  await requireCampaign(deps, campaignId);
  const lines = [RECEIPT_CSV_COLUMNS.join(',')];
  let rows = 0;
  let cursor = part.cursor;
  do {
    const page = await deps.receipts.listReceipts(campaignId, filter, {
      limit: Math.min(STORE_PAGE, part.limit - rows),
      ...(cursor && { cursor }),
    });
    for (const receipt of page.items) lines.push(csvRow({ ...receipt, phone: showPhone(receipt.phone) }));
    rows += page.items.length;
    cursor = page.nextCursor;
  } while (cursor && rows < part.limit);
  return { csv: `${lines.join('\r\n')}\r\n`, rows, ...(cursor && { nextCursor: cursor }) };
}

function csvRow(receipt: Receipt): string {
  const values = [
    receipt.phone,
    receipt.carrier,
    receipt.status,
    receipt.gatewayId,
    String(receipt.attempts),
    receipt.error,
    receipt.queuedAt,
    receipt.submittedAt,
    receipt.doneAt,
  ];
  return values.map((value, index) => csvField(value ?? '', RECEIPT_CSV_COLUMNS[index] === 'error')).join(',');
}

/**
 * RFC 4180 quoting. A gateway's error text is outside text: a leading =, +, - or @ is defused so that a
 * spreadsheet never runs it as a formula (a phone number's + is ours and stays).
 */
function csvField(value: string, outside: boolean): string {
  const safe = outside && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
