/**
 * A gateway's health in the staff's words. The API's states are the circuit breaker's: `up` takes traffic,
 * `down` has tripped and takes none, `recovering` is probing with a share of the traffic before it is
 * trusted again.
 */
export type GatewayCondition = 'healthy' | 'tripped' | 'probing';

const CONDITIONS: Record<string, GatewayCondition> = { up: 'healthy', down: 'tripped', recovering: 'probing' };

export function gatewayCondition(state: string): GatewayCondition | undefined {
  return CONDITIONS[state];
}

/** 0.025 -> "2,5 %" in Vietnamese, "2.5%" in English. */
export function formatRate(fraction: number, language: string): string {
  return new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'vi-VN', { style: 'percent', maximumFractionDigits: 1 }).format(fraction);
}

export interface DetailRow {
  key: string;
  /** Numbers stay numbers, to be grouped in the reader's language; anything else becomes text. */
  value: number | string;
}

/** What a gateway adds about itself (an SMPP bind's state, receipts...). */
export function detailRows(details: Readonly<Record<string, unknown>> | undefined): DetailRow[] {
  return Object.entries(details ?? {}).map(([key, value]) => ({
    key,
    value:
      typeof value === 'number' || typeof value === 'string' ? value : typeof value === 'boolean' ? String(value) : JSON.stringify(value),
  }));
}
