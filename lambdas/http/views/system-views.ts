/** What the system routes return: liveness and the OpenAPI document itself. */
import { z } from 'zod';

export const healthView = z.strictObject({ status: z.literal('ok') }).meta({ id: 'Health' });

/** Only its outline: the OpenAPI 3.1 schema describes the rest. */
export const openApiDocumentView = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});
