/**
 * Environment settings that both shells read (the embedded runtime and the Lambdas), so they are spelled and
 * checked the same way in each.
 */
import { z } from 'zod';
import { DEFAULT_CONFIG, type LoaConfig } from '../core/config.js';
import { CARRIERS } from '../core/subscribers/carriers.js';

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;

/** hh:mm-hh:mm, e.g. 22:00-07:00. */
export const hoursRange = z
  .string()
  .regex(/^\d\d:\d\d-\d\d:\d\d$/, 'expected hh:mm-hh:mm, e.g. 22:00-07:00')
  .refine((value) => value.split('-').every((part) => hhmm.test(part)), 'hours 00-23, minutes 00-59')
  .transform((value) => {
    const [start, end] = value.split('-') as [string, string];
    return { start, end };
  });

const DEFAULT_TOURS = DEFAULT_CONFIG.tours;

/** The loudspeaker-tour rules; each is optional and defaults to DEFAULT_CONFIG.tours. */
export const tourEnvironment = {
  LOA_TOUR_QUIET_HOURS: hoursRange.optional(),
  LOA_TOUR_SLOTS: z
    .string()
    .transform((value, context) => {
      const slots = value.split(',').map((slot) => hoursRange.safeParse(slot.trim()));
      const wrong = slots.findIndex((slot) => !slot.success);
      if (wrong >= 0)
        context.addIssue({ code: 'custom', message: `slot ${wrong + 1}: expected hh:mm-hh:mm, e.g. 06:30-11:00,14:00-17:30` });
      return slots.flatMap((slot) => (slot.success ? [slot.data] : []));
    })
    .optional(),
  LOA_TOUR_MAX_PER_AREA_PER_DAY: z.coerce.number().int().positive().optional(),
  LOA_TOUR_MINUTES_BETWEEN_AREAS: z.coerce.number().int().min(0).optional(),
  LOA_TOUR_CONFIRM_WITHIN_MINUTES: z.coerce.number().int().positive().optional(),
};

type TourEnvironment = z.output<z.ZodObject<typeof tourEnvironment>>;

/** The tours' rules keep the province's wall clock: the one the deployment is set to. */
export function tourConfig(e: TourEnvironment, timezone: string): LoaConfig['tours'] {
  const rules = DEFAULT_TOURS.rules;
  return {
    rules: {
      ...rules,
      timezone,
      quietHours: e.LOA_TOUR_QUIET_HOURS ?? rules.quietHours,
      dailySlots: e.LOA_TOUR_SLOTS ?? rules.dailySlots,
      maxBroadcastsPerAreaPerDay: e.LOA_TOUR_MAX_PER_AREA_PER_DAY ?? rules.maxBroadcastsPerAreaPerDay,
      minutesBetweenAreas: e.LOA_TOUR_MINUTES_BETWEEN_AREAS ?? rules.minutesBetweenAreas,
    },
    confirmWithinMinutes: e.LOA_TOUR_CONFIRM_WITHIN_MINUTES ?? DEFAULT_TOURS.confirmWithinMinutes,
  };
}

/** A carrier as the settings name it, or `*` for any other. */
export const carrierOrAny = z.enum([...CARRIERS, '*']);

/** The price of one message part by carrier (`*` for the others), for the estimate shown before approval. */
export const prices = z
  .object({ currency: z.string().min(1).default('VND'), perPart: z.partialRecord(carrierOrAny, z.number().min(0)) })
  .transform(({ currency, perPart }) => ({ currency, perPart: perPart as Record<string, number> }));

/** LOA_PRICES: the prices as JSON, e.g. {"currency":"VND","perPart":{"viettel":350,"*":400}}. */
export const pricesJson = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'expected JSON, e.g. {"currency":"VND","perPart":{"*":400}}' });
      return z.NEVER;
    }
  })
  .pipe(prices);

/** LOA_PUBLIC_URL: where people reach the API from outside, e.g. https://loa.dongnai.gov.vn (no path). */
export const publicUrl = z
  .url({ protocol: /^https?$/, error: 'expected http(s)://host[:port], e.g. https://loa.example.vn' })
  .refine(
    (value) => !URL.canParse(value) || (['', '/'].includes(new URL(value).pathname) && !new URL(value).search),
    'expected no path or query',
  )
  .transform((value) => value.replace(/\/+$/, ''));
