import { vi } from 'vitest';

/** The lines `run` writes to stdout and stderr, in order, kept from the terminal. */
export async function captureOutput(run: () => unknown): Promise<string[]> {
  const writes: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return writes.join('').split('\n').filter(Boolean);
}
