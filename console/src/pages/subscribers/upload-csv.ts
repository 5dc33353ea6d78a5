/**
 * Sends a subscriber CSV to POST /v1/subscribers/import as it is on disk: the File itself is the body, so
 * the browser streams it and a file of a million rows is never read into memory. XMLHttpRequest, because
 * fetch cannot report how much of a request body has gone. The file's name goes along (?fileName=), kept
 * as where the subscribers came from.
 */
import { ApiError, rawRequest, toApiError } from '../../api/client';
import type { paths } from '../../api/schema';
import { uploadPercent } from './upload-progress';

export type ImportReport = paths['/v1/subscribers/import']['post']['responses'][200]['content']['application/json'];

export interface UploadProgress {
  /** undefined while the browser cannot tell the size. */
  percent: number | undefined;
  /** The whole file has gone: the server is reading it. */
  sent: boolean;
}

/** The API takes names of at most this many characters. */
const LONGEST_FILE_NAME = 255;

export function uploadSubscriberCsv(
  file: Blob,
  fileName: string | undefined,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<ImportReport> {
  const name = fileName?.trim().slice(0, LONGEST_FILE_NAME);
  const { url, headers } = rawRequest(`/v1/subscribers/import${name ? `?fileName=${encodeURIComponent(name)}` : ''}`);
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    // Credentials same-origin, as the typed client: the session cookie goes only to our own origin.
    request.withCredentials = false;
    request.setRequestHeader('content-type', 'text/csv');
    request.setRequestHeader('accept', 'application/json');
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) =>
      onProgress({ percent: uploadPercent(event.loaded, event.total, event.lengthComputable), sent: false });
    request.upload.onload = () => onProgress({ percent: 100, sent: true });
    request.onload = () => {
      const body = parseJson(request.responseText);
      if (request.status >= 200 && request.status < 300) resolve(body as ImportReport);
      else reject(toApiError(request.status, body));
    };
    request.onerror = () => reject(new ApiError(0, 'unreachable', 'The upload failed'));
    request.onabort = () => reject(new ApiError(0, 'aborted', 'The upload was stopped'));
    signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(file);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
