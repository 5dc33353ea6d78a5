/**
 * Writes the console's API types (src/api/schema.d.ts) from the API's own OpenAPI document, the one
 * GET /openapi.json serves, so the console can never drift from the contract. Run by `npm run build:console`.
 */
import { writeFile } from 'node:fs/promises';
import openapiTS, { astToString } from 'openapi-typescript';
import { consoleApiDocument } from '../../lambdas/embedded/console-api-document.js';

const target = new URL('../src/api/schema.d.ts', import.meta.url);
const ast = await openapiTS(consoleApiDocument() as unknown as Parameters<typeof openapiTS>[0]);
await writeFile(
  target,
  `// Generated from the API's OpenAPI document by console/scripts/openapi-types.ts. Do not edit.\n${astToString(ast)}`,
);
