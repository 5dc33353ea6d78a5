/**
 * Saves text made in the browser as a file, through a Blob and an object URL (nothing goes back to the
 * server).
 */
export function downloadFile(fileName: string, parts: BlobPart[], type: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled, or some browsers cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The byte order mark makes spreadsheet programs read Vietnamese diacritics as UTF-8. */
export function downloadCsv(fileName: string, csv: string): void {
  downloadFile(fileName, ['\uFEFF', csv], 'text/csv;charset=utf-8');
}
