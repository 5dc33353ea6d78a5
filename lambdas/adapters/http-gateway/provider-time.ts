/** ISO 8601 with a zone ("2025-07-01T09:30:00Z", "...+07:00"). */
const ZONED_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
/** "2025-07-01 09:30:00", as Vietnamese providers write it, in local time. */
const LOCAL_YEAR_FIRST = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?$/;
/** "01/07/2025 09:30:00", day first as written in Vietnam, in local time. */
const LOCAL_DAY_FIRST = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})(?::(\d{2}))?$/;
/** Vietnam keeps UTC+7 all year, so a provider's zoneless local time converts without a time-zone table. */
const VIETNAM_OFFSET = '+07:00';

/** A provider's timestamp, or undefined when it is in none of the shapes above or not a real time. */
export function parseProviderTime(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  if (ZONED_ISO.test(text)) return validDate(text);
  const yearFirst = LOCAL_YEAR_FIRST.exec(text);
  if (yearFirst) {
    const [, year, month, day, hour, minute, second = '00', fraction = ''] = yearFirst;
    return validDate(`${year}-${month}-${day}T${hour}:${minute}:${second}${fraction}${VIETNAM_OFFSET}`);
  }
  const dayFirst = LOCAL_DAY_FIRST.exec(text);
  if (dayFirst) {
    const [, day, month, year, hour, minute, second = '00'] = dayFirst;
    return validDate(`${year}-${month}-${day}T${hour}:${minute}:${second}${VIETNAM_OFFSET}`);
  }
  return undefined;
}

function validDate(iso: string): Date | undefined {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
