/**
 * Large CSV uploads made on the fly, so that a test can send 60 MB without holding it: rows of about
 * 1 KB (a long `note` column the import ignores), so that the byte limit is passed long before the row
 * limit, and parsing them stays cheap.
 */
const CHUNK_ROWS = 64;

export function* oversizedUpload(options: { head: string; bytes: number }): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  const row = (index: number) => `x${index},NOWHERE,,${'n'.repeat(1_000)}\n`;
  let sent = 0;
  let index = 0;
  const head = encoder.encode(options.head);
  sent += head.byteLength;
  yield head;
  while (sent < options.bytes) {
    const rows: string[] = [];
    for (let count = 0; count < CHUNK_ROWS; count++) rows.push(row(index++));
    const chunk = encoder.encode(rows.join('')).subarray(0, options.bytes - sent);
    sent += chunk.byteLength;
    yield chunk;
  }
}

/** A request body pulling from `chunks`; `sent.bytes` counts what the server has taken. */
export function uploadStream(chunks: Iterator<Uint8Array>, sent: { bytes: number } = { bytes: 0 }): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(controller) {
      const next = chunks.next();
      if (next.done) controller.close();
      else {
        sent.bytes += next.value.byteLength;
        controller.enqueue(next.value);
      }
    },
  });
}
