/** How far an upload has gone, as a whole percentage; undefined when the browser cannot tell the size. */
export function uploadPercent(loaded: number, total: number, lengthComputable = true): number | undefined {
  if (!lengthComputable || !(total > 0)) return undefined;
  return Math.min(100, Math.max(0, Math.floor((loaded / total) * 100)));
}
